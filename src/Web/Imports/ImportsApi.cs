using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.Imports;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Web.Paging;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Security;

namespace RuralRegistry.Web.Imports;

internal static class ImportsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static IServiceCollection AddRegistryImports(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ImportSettings.Section).Get<ImportSettings>() ?? new ImportSettings();
        services.AddSingleton(settings);
        services.AddScoped<ImportRunner>();
        services.AddSingleton<ImportWorker>();
        services.AddHostedService(provider => provider.GetRequiredService<ImportWorker>());
        return services;
    }

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/imports").WithTags("Imports").RequireAuthorization(SecuritySetup.ImportsWritePolicy);

        group.MapPost("/projects", ImportProjectsAsync)
            .WithName("importProjects")
            .WithSummary("Import a batch of projects")
            .WithDescription(
                "Creates or replaces the caller's projects by their externalId, from a JSON array (application/json) or one project per line (application/x-ndjson), " +
                "each record as PUT /v1/projects/external/{externalId} takes it. Every record is reported: created, updated, unchanged (the same content again: no new version, " +
                "no change-feed entry) or failed with its problem, whose JSON pointers start with the record's index. 200 when every record succeeded; 207 when some failed " +
                "(the others are written, each whole); atomic=true writes all or nothing (422 with the report when any fails); dryRun=true checks everything and writes nothing. " +
                "prune=true deletes the publisher's live projects the body does not name, only when every record succeeded. " +
                "An Idempotency-Key makes a retry safe: the same key and body get the first answer without writing again; the same key with another body is 422. " +
                "With Prefer: respond-async the answer is 202 as soon as the body is received, and GET /v1/imports/{id} shows the progress. " +
                "Limits: 256 MiB and 100,000 records per request by default (Imports:MaxBodyBytes, Imports:MaxRecords); beyond them 413: split the file.")
            .AllowQuery("atomic", "dryRun", "prune")
            .Accepts<IReadOnlyList<ProjectRequest>>("application/json", ImportBody.NdjsonMediaType)
            .Produces<ImportReportResponse>(StatusCodes.Status200OK)
            .Produces<ImportReportResponse>(StatusCodes.Status207MultiStatus)
            .Produces<ImportResponse>(StatusCodes.Status202Accepted)
            .Produces<ImportReportResponse>(StatusCodes.Status422UnprocessableEntity)
            .WritesProblems(StatusCodes.Status409Conflict);

        group.MapGet("/", ListImportsAsync)
            .WithName("listImports")
            .WithSummary("List the caller's imports")
            .WithDescription("The imports the caller's publisher sent (an admin sees every publisher's), newest first, paged by an opaque keyset token.")
            .AllowQuery(PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/{id:guid}", GetImportAsync)
            .WithName("getImport")
            .WithSummary("Get an import")
            .WithDescription("Who sent it and when, its options, its state (queued, running, completed, failed) and its counts so far: poll it while an import sent with Prefer: respond-async runs. Only the publisher that sent it, or an admin, may read it.")
            .AllowQuery()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/records", ListImportRecordsAsync)
            .WithName("listImportRecords")
            .WithSummary("List an import's per-record outcomes")
            .WithDescription("Every record's outcome in the body's order (records deleted by prune last), paged; status=failed lists the failures only.")
            .AllowQuery("status", PageSize.ParameterName, PageToken.ParameterName)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<IResult> ImportProjectsAsync(
        bool? atomic, bool? dryRun, bool? prune, ClaimsPrincipal user, HttpContext http, ImportSettings settings, ImportLedger ledger,
        ImportRunner runner, ImportWorker worker, TimeProvider clock, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var format = FormatOf(request.ContentType);
        if (format is null)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                $"Send the records as application/json (one JSON array) or {ImportBody.NdjsonMediaType} (one project per line).");
        }

        if (request.Headers.IfMatch.Count > 0 || request.Headers.IfNoneMatch.Count > 0)
        {
            var header = request.Headers.IfMatch.Count > 0 ? "If-Match" : "If-None-Match";
            return Failure.Invalid([FieldError.Query(header,
                $"An import takes no {header}: each record is created or replaced by its externalId. To write one record on a condition, use PUT /v1/projects/external/{{externalId}}.")]).ToProblem();
        }

        if (request.ContentLength > settings.MaxBodyBytes)
        {
            return TooLarge(settings, $"The body has {request.ContentLength} bytes");
        }

        var key = request.Headers[IdempotencyKeyHeader].ToString();
        if (request.Headers.ContainsKey(IdempotencyKeyHeader) && (key.Length is 0 or > Import.IdempotencyKeyMaxLength || key.Any(c => c is < ' ' or > '~')))
        {
            return Failure.Invalid([FieldError.Query(IdempotencyKeyHeader, $"An Idempotency-Key is 1 to {Import.IdempotencyKeyMaxLength} printable ASCII characters, e.g. a UUID.")]).ToProblem();
        }

        var flags = new ImportFlags(atomic ?? false, dryRun ?? false, prune ?? false);
        var body = await ImportSpool.ReceiveAsync(request.Body, format.Value, $"atomic={flags.Atomic};dryRun={flags.DryRun};prune={flags.Prune}", settings, cancellationToken);
        if (body is null)
        {
            return TooLarge(settings, "The body is longer");
        }

        var keep = false;
        try
        {
            int total;
            string? malformed;
            await using (var file = ImportSpool.Open(body))
            {
                (total, malformed) = await ImportBody.CountAsync(file, body.Format, cancellationToken);
            }

            if (malformed is not null)
            {
                return Failure.Invalid([FieldError.Body(string.Empty, malformed)]).ToProblem();
            }

            if (total > settings.MaxRecords)
            {
                return TooLarge(settings, $"The body holds {total} records");
            }

            if (flags.Prune && total == 0)
            {
                return Failure.Invalid([FieldError.Query("prune", "prune=true with no records would delete every record of the publisher; send the complete catalogue.")]).ToProblem();
            }

            var caller = user.Caller();
            var actor = caller.IsAdmin ? "admin" : caller.PublisherCode!;
            var (import, isNew) = key.Length > 0 && await ledger.FindByKeyAsync(actor, key, cancellationToken) is { } earlier
                ? (earlier, false)
                : await ledger.AddAsync(
                    Import.Receive(caller.PublisherId, actor, key.Length > 0 ? key : null, body.Hash, flags.Atomic, flags.DryRun, flags.Prune, total, clock.GetUtcNow()),
                    cancellationToken);
            if (!isNew)
            {
                return await ReplayAsync(import, body.Hash, ledger, http, cancellationToken);
            }

            var location = $"/v1/imports/{import.Id}";
            http.Response.Headers.Location = location;
            if (PrefersAsync(request) && worker.TryEnqueue(new QueuedImport(import.Id, caller, body)))
            {
                keep = true;
                http.Response.Headers["Preference-Applied"] = "respond-async";
                return TypedResults.Json(ImportResponse.From(import), statusCode: StatusCodes.Status202Accepted);
            }

            keep = true;

            // The import goes on when the client goes away once the body is in: its outcome is kept for GET /v1/imports/{id}.
            var records = await runner.RunAsync(import, caller, body, lifetime.ApplicationStopping);
            return Answer(import, records);
        }
        finally
        {
            if (!keep)
            {
                ImportSpool.Delete(body.Path);
            }
        }
    }

    /// <summary>The answer to a request whose Idempotency-Key was seen before: the first answer for the same request, else 422.</summary>
    private static async Task<IResult> ReplayAsync(Import import, string hash, ImportLedger ledger, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.Location = $"/v1/imports/{import.Id}";
        if (import.RequestHash != hash)
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used for another request.",
                $"The Idempotency-Key was sent before with another body or other options (import {import.Id}); use a new key for a new request.");
        }

        http.Response.Headers["Idempotent-Replayed"] = "true";
        return import.IsFinished
            ? Answer(import, await ledger.ReportAsync(import.Id, cancellationToken))
            : TypedResults.Json(ImportResponse.From(import), statusCode: StatusCodes.Status202Accepted);
    }

    private static IResult Answer(Import import, IReadOnlyList<ImportRecordResponse> records) =>
        import.State == ImportState.Completed
            ? TypedResults.Json(new ImportReportResponse(ImportResponse.From(import), records), statusCode: import.ResultStatus is { } result ? ResultProblems.StatusOf(result) : StatusCodes.Status200OK)
            : Problem(StatusCodes.Status409Conflict, "The import did not finish.", import.Error ?? "The import stopped before its end.");

    private static async Task<Results<Ok<PageResponse<ImportResponse>>, ProblemHttpResult>> ListImportsAsync(
        int? pageSize, string? pageToken, ClaimsPrincipal user, ImportLedger ledger, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await ledger.ListAsync(user.Caller(), pageSize, pageToken, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(PageResponse<ImportResponse>.From(result.Value!, request));
    }

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> GetImportAsync(
        Guid id, ClaimsPrincipal user, ImportLedger ledger, CancellationToken cancellationToken)
    {
        var result = await ledger.GetAsync(user.Caller(), id, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(ImportResponse.From(result.Value!));
    }

    private static async Task<Results<Ok<PageResponse<ImportRecordResponse>>, ProblemHttpResult>> ListImportRecordsAsync(
        Guid id, string? status, int? pageSize, string? pageToken, ClaimsPrincipal user, ImportLedger ledger, HttpRequest request, CancellationToken cancellationToken)
    {
        ImportRecordStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<ImportRecordStatus>(status, ignoreCase: true, out var parsed) || !status.All(char.IsAsciiLetterLower))
            {
                return Failure.Invalid([FieldError.Query("status", "status is one of created, updated, unchanged, failed, deleted.")]).ToProblem();
            }

            wanted = parsed;
        }

        var result = await ledger.ListRecordsAsync(user.Caller(), id, wanted, pageSize, pageToken, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(PageResponse<ImportRecordResponse>.From(result.Value!, request));
    }

    private static ImportFormat? FormatOf(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType switch
        {
            _ when string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) => ImportFormat.JsonArray,
            _ when string.Equals(mediaType, ImportBody.NdjsonMediaType, StringComparison.OrdinalIgnoreCase) => ImportFormat.Ndjson,
            _ => null,
        };
    }

    private static bool PrefersAsync(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? string.Empty).Split(',')).Any(p => p.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase));

    public static IResult TooLarge(ImportSettings settings, string what) => Problem(
        StatusCodes.Status413PayloadTooLarge,
        "The import is too large.",
        string.Create(CultureInfo.InvariantCulture,
            $"{what}; one import takes at most {settings.MaxBodyBytes} bytes and {settings.MaxRecords} records. Split the catalogue into files of at most {settings.MaxRecords} records " +
            $"(for NDJSON: split -l {settings.MaxRecords} catalogue.ndjson part-) and import each; prune=true needs the complete catalogue in one import."));

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}
