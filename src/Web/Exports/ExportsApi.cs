using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Web.Problems;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

using RuralRegistry.Web.Projects;

namespace RuralRegistry.Web.Exports;

/// <summary>
/// Whole collections in one download, streamed from the database with flat memory, gzip when the
/// client accepts it. Each export says in <c>Registry-Change-Cursor</c> where the change feed stood.
/// </summary>
internal static class ExportsApi
{
    public const string CursorHeader = "Registry-Change-Cursor";
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string CsvMediaType = "text/csv";
    private const string ColumnsPath = "/v1/exports/projects.columns.json";

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/exports").WithTags("Exports");

        group.MapGet("/projects.ndjson", ExportProjectsNdjsonAsync)
            .WithName("exportProjectsNdjson")
            .WithSummary("Export projects as NDJSON")
            .WithDescription("Every live project that passes the filters (as GET /v1/projects takes them), one JSON record per line in the API's own representation. " +
                $"The {CursorHeader} header gives the change-feed cursor to follow on from: every change up to it is in the export.")
            .AllowQuery(ProjectFilterQuery.Allowed)
            .Produces<ProjectResponse>(StatusCodes.Status200OK, NdjsonMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/projects.csv", ExportProjectsCsvAsync)
            .WithName("exportProjectsCsv")
            .WithSummary("Export projects as CSV")
            .WithDescription("One row per project (RFC 4180, UTF-8 with a byte-order mark so spreadsheets read the letters right); localized text as one column per language present, lists joined with '; '. " +
                $"The Link header (rel=describedby) points to {ColumnsPath}, which says what each column is. The {CursorHeader} header is as for NDJSON.")
            .AllowQuery(ProjectFilterQuery.Allowed)
            .Produces<string>(StatusCodes.Status200OK, CsvMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapGet("/projects.columns.json", DescribeColumns)
            .WithName("describeProjectCsvColumns")
            .WithSummary("What each column of the project CSV export is")
            .WithDescription("The columns of GET /v1/exports/projects.csv in order, each with what it holds; the per-language columns are given once as title_{language} and so on.")
            .AllowQuery();

        group.MapGet("/partners.ndjson", ExportPartnersNdjsonAsync)
            .WithName("exportPartnersNdjson")
            .WithSummary("Export partners as NDJSON")
            .WithDescription($"Every live partner, one JSON record per line in the API's own representation, with the {CursorHeader} header.")
            .AllowQuery()
            .Produces<Application.Partners.PartnerResponse>(StatusCodes.Status200OK, NdjsonMediaType);

        return routes;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportProjectsNdjsonAsync(
        [AsParameters] ProjectFilterQuery filter, ExportProjects exports, IOptions<JsonOptions> json, HttpContext http, CancellationToken cancellationToken)
    {
        var export = await exports.ProjectsAsync(filter.ToInput(), cancellationToken);
        if (export.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        await WriteNdjsonAsync(http, export.Value!.ChangeCursor, export.Value.Records, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<EmptyHttpResult> ExportPartnersNdjsonAsync(
        ExportProjects exports, IOptions<JsonOptions> json, HttpContext http, CancellationToken cancellationToken)
    {
        var export = await exports.PartnersAsync(cancellationToken);
        await WriteNdjsonAsync(http, export.ChangeCursor, export.Records, json.Value.SerializerOptions, cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> ExportProjectsCsvAsync(
        [AsParameters] ProjectFilterQuery filter, ExportProjects exports, HttpContext http, CancellationToken cancellationToken)
    {
        var export = await exports.ProjectsAsync(filter.ToInput(), cancellationToken);
        if (export.Failure is { } failure)
        {
            return failure.ToProblem();
        }

        var response = http.Response;
        response.ContentType = $"{CsvMediaType}; charset=utf-8; header=present";
        response.Headers[CursorHeader] = export.Value!.ChangeCursor.ToString(CultureInfo.InvariantCulture);
        response.Headers.Link = $"<{ColumnsPath}>; rel=\"describedby\"";
        response.Headers.ContentDisposition = "attachment; filename=\"projects.csv\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024);
        // Cells that a spreadsheet would run as formulas (=, +, -, @, tab, CR first) are escaped.
        await using var csv = new CsvWriter(writer, new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = CsvHelper.Configuration.InjectionOptions.Escape });
        var columns = ProjectCsv.Columns(export.Value.Languages);
        foreach (var column in columns)
        {
            csv.WriteField(column.Name);
        }

        await csv.NextRecordAsync();
        var written = 0;
        await foreach (var stored in export.Value.Records.WithCancellation(cancellationToken))
        {
            var project = RepresentationJson.Read<ProjectResponse>(stored);
            foreach (var column in columns)
            {
                csv.WriteField(column.Value(project));
            }

            await csv.NextRecordAsync();
            if (++written % ExportProjects.BatchSize == 0)
            {
                await csv.FlushAsync();
            }
        }

        return TypedResults.Empty;
    }

    private static Ok<CsvColumnsResponse> DescribeColumns() =>
        TypedResults.Ok(new CsvColumnsResponse(ProjectCsv.Describe()));

    private static async Task WriteNdjsonAsync<T>(
        HttpContext http, long cursor, IAsyncEnumerable<T> records, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var response = http.Response;
        response.ContentType = $"{NdjsonMediaType}; charset=utf-8";
        response.Headers[CursorHeader] = cursor.ToString(CultureInfo.InvariantCulture);
        var body = response.BodyWriter;
        using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true });
        var written = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, record, options);
            writer.Flush();
            writer.Reset();
            body.Write("\n"u8);
            if (++written % ExportProjects.BatchSize == 0)
            {
                await body.FlushAsync(cancellationToken);
            }
        }
    }
}

/// <summary>The columns of the project CSV export.</summary>
/// <param name="Columns">The columns, in order.</param>
public sealed record CsvColumnsResponse(IReadOnlyList<CsvColumnDescription> Columns);

/// <summary>One column of the project CSV export.</summary>
/// <param name="Name">The column's header.</param>
/// <param name="Description">What it holds.</param>
public sealed record CsvColumnDescription(string Name, string Description);
