using System.Globalization;
using System.Text;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using RuralRegistry.Application.Abstractions;
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

    private const string InProgressRetrySeconds = "5";
    private const string UnavailableRetrySeconds = "5";
    private static readonly TimeSpan SaveWait = TimeSpan.FromSeconds(2);

    public static IServiceCollection AddRegistryImports(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ImportSettings.Section).Get<ImportSettings>() ?? new ImportSettings();
        services.AddSingleton(settings);
        services.AddScoped<ImportRunner>();
        services.AddSingleton<ImportLeases>();
        // Registered after the leases: the host stops the worker first (its import handed back), then the heartbeat.
        services.AddHostedService(provider => provider.GetRequiredService<ImportLeases>());
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
                "An Idempotency-Key makes a retry safe: the same key and body get the first completed answer without writing again; while the first is still running, 409 with Retry-After; " +
                "after a first attempt that failed (a restart, the database away), the import runs again; the same key with another body is 422. " +
                "When the database becomes unavailable during the import, 503 with Retry-After names the import and what it kept. " +
                "With Prefer: respond-async the answer is 202 as soon as the body is received, and GET /v1/imports/{id} shows the progress. " +
                "The body is kept in the database until the import ends, so any API process may run the import: when the one running it dies or stops, another takes it over once its lease lapses (at once when it stopped) and goes on from the first record not committed. " +
                "Limits: 256 MiB and 100,000 records per request by default (Imports:MaxBodyBytes, Imports:MaxRecords); beyond them 413: split the file.")
            .AllowQuery("atomic", "dryRun", "prune")
            .Accepts<IReadOnlyList<ProjectRequest>>("application/json", ImportBody.NdjsonMediaType)
            .Produces<ImportReportResponse>(StatusCodes.Status200OK)
            .Produces<ImportReportResponse>(StatusCodes.Status207MultiStatus)
            .Produces<ImportResponse>(StatusCodes.Status202Accepted)
            .Produces<ImportReportResponse>(StatusCodes.Status422UnprocessableEntity)
            .WritesProblems(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

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
            .WithDescription("Who sent it and when, its options, its state (queued, running, completed, failed), its counts so far, which API process holds it (lease) and how many times one took it up (attempts), from any API process: poll it while an import sent with Prefer: respond-async runs. Only the publisher that sent it, or an admin, may read it.")
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
        bool? atomic, bool? dryRun, bool? prune, ClaimsPrincipal user, HttpContext http, ImportSettings settings, ImportLedger ledger, IImportBodyStore bodies,
        ImportRunner runner, ImportWorker worker, ImportLeases leases, TimeProvider clock, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var format = ImportBody.FormatOf(request.ContentType);
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

        // The body goes into the database as it arrives, under the id its import will have: any API process can then run it.
        var flags = new ImportFlags(atomic ?? false, dryRun ?? false, prune ?? false);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var options = Encoding.UTF8.GetBytes($"{format.Value}\natomic={flags.Atomic};dryRun={flags.DryRun};prune={flags.Prune}\n");
        var body = await bodies.ReceiveAsync(id, format.Value, request.Body, options, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(settings, "The body is longer");
        }

        var keep = false;
        try
        {
            int total;
            string? malformed;
            await using (var stream = bodies.Open(id))
            {
                (total, malformed) = await ImportBody.CountAsync(stream, body.Format, cancellationToken);
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
            var background = PrefersAsync(request);
            var received = Import.Receive(
                id, ImportBody.MediaTypeOf(body.Format), caller.PublisherId, actor, key.Length > 0 ? key : null, body.Hash, flags.Atomic, flags.DryRun, flags.Prune, total, clock.GetUtcNow());
            if (!background)
            {
                // Run here, held by this process from the start; a queued import is claimed by whichever process looks first.
                received.Lease(leases.Owner, clock.GetUtcNow() + leases.Lease);
            }

            var earlier = key.Length > 0 ? await ledger.FindByKeyAsync(actor, key, cancellationToken) : null;
            var (import, isNew) = earlier switch
            {
                null => await ledger.AddAsync(received, cancellationToken),
                { State: ImportState.Failed } when earlier.RequestHash == body.Hash => await ledger.RetryAsync(earlier, received, cancellationToken),
                _ => (earlier, false),
            };
            if (!isNew)
            {
                return await ReplayAsync(import, body.Hash, ledger, http, cancellationToken);
            }

            keep = true;
            var location = $"/v1/imports/{import.Id}";
            http.Response.Headers.Location = location;
            if (background)
            {
                worker.Nudge();
                http.Response.Headers["Preference-Applied"] = "respond-async";
                return TypedResults.Json(ImportResponse.From(import).Linked(request), statusCode: StatusCodes.Status202Accepted);
            }

            // The import goes on when the client goes away once the body is in: its outcome is kept for GET /v1/imports/{id}.
            leases.Hold(import.Id);
            var ending = await runner.RunAsync(import, caller, body.Format, lifetime.ApplicationStopping);
            return ending.Fault is null || import.State == ImportState.Completed
                ? Answer(import, ending.Records, request)
                : await StoppedAsync(import, ending, leases, http);
        }
        finally
        {
            if (!keep)
            {
                await DeleteAsync(bodies, id, http.RequestServices);
            }
        }
    }

    /// <summary>Deletes a body no import will run; when the database is away, the sweep removes it later.</summary>
    private static async Task DeleteAsync(IImportBodyStore bodies, Guid id, IServiceProvider services)
    {
        try
        {
            await bodies.DeleteAsync(id, CancellationToken.None);
        }
        catch (Exception exception) when (services.GetRequiredService<IDatabaseOutages>().IsUnavailable(exception))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ImportsApi)).LogWarning(exception, "The body {ImportId} was left for the sweep", id);
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

        if (!import.IsFinished)
        {
            http.Response.Headers.RetryAfter = InProgressRetrySeconds;
            return Problem(StatusCodes.Status409Conflict, "The import with this Idempotency-Key is in progress.",
                $"The first request with this Idempotency-Key (import {import.Id}) is still {import.State.ToString().ToLowerInvariant()}: follow it at /v1/imports/{import.Id}, " +
                "or send the request again later to get its answer.", ("importId", import.Id));
        }

        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Answer(import, await ledger.ReportAsync(import.Id, cancellationToken), http.Request);
    }

    /// <summary>
    /// The answer to a synchronous import that stopped before its end: which import, what its committed batches kept,
    /// and where its end will show. The database away or the server stopping is a 503 with Retry-After (a later retry
    /// with the same Idempotency-Key runs it again); anything else a 500 naming the import.
    /// </summary>
    private static async Task<IResult> StoppedAsync(Import import, ImportEnding ending, ImportLeases leases, HttpContext http)
    {
        var outages = http.RequestServices.GetRequiredService<IDatabaseOutages>();
        var unavailable = outages.IsUnavailable(ending.Fault!) || ending.Fault is OperationCanceledException;
        var reason = leases.ReasonFor(import.Id, ending.Fault!, outages);

        // The end is usually saved at once; while the database is away it is saved once it is back (or a sweep ends it).
        var saved = await Task.WhenAny(ending.Saved, Task.Delay(SaveWait)) == ending.Saved;
        var kept = import.Atomic || import.DryRun ? 0 : import.Processed;
        var detail = ending.HandedBack
            ? $"Import {import.Id} was handed to another server as this one stopped: {kept} of its {import.Total} records had their outcome in batches committed before, " +
              $"and the other server goes on from the first record not committed. Follow it at /v1/imports/{import.Id}, or send the request again later with the same Idempotency-Key to get its answer."
            : $"Import {import.Id} stopped before its end: {reason} " +
              $"{kept} of its {import.Total} records had their outcome in batches committed before it stopped. " +
              (saved
                  ? $"GET /v1/imports/{import.Id} shows it failed, with the counts the database kept."
                  : $"It is recorded as failed, with the counts the database kept, once the database is back: see GET /v1/imports/{import.Id}.");
        if (!unavailable)
        {
            return Problem(StatusCodes.Status500InternalServerError, "The import stopped on an unexpected error.", detail, ("importId", import.Id), ("processed", kept));
        }

        http.Response.Headers.RetryAfter = UnavailableRetrySeconds;
        return Problem(StatusCodes.Status503ServiceUnavailable, "The import stopped: the database became unavailable.", detail, ("importId", import.Id), ("processed", kept));
    }

    /// <summary>The import with its records link absolute, as every link in a body is.</summary>
    private static ImportResponse Linked(this ImportResponse import, HttpRequest request) =>
        import with { Records = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, import.Records) };

    private static IResult Answer(Import import, IReadOnlyList<ImportRecordResponse> records, HttpRequest request) =>
        import.State == ImportState.Completed
            ? TypedResults.Json(new ImportReportResponse(ImportResponse.From(import).Linked(request), records), statusCode: import.ResultStatus is { } result ? ResultProblems.StatusOf(result) : StatusCodes.Status200OK)
            : Problem(StatusCodes.Status409Conflict, "The import did not finish.", import.Error ?? "The import stopped before its end.");

    private static async Task<Results<Ok<PageResponse<ImportResponse>>, ProblemHttpResult>> ListImportsAsync(
        int? pageSize, string? pageToken, ClaimsPrincipal user, ImportLedger ledger, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await ledger.ListAsync(user.Caller(), pageSize, pageToken, cancellationToken);
        return result.Failure is { } failure
            ? failure.ToProblem()
            : TypedResults.Ok(PageResponse<ImportResponse>.From(result.Value! with { Items = [.. result.Value!.Items.Select(i => i.Linked(request))] }, request));
    }

    private static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> GetImportAsync(
        Guid id, ClaimsPrincipal user, ImportLedger ledger, HttpRequest request, CancellationToken cancellationToken)
    {
        var result = await ledger.GetAsync(user.Caller(), id, cancellationToken);
        return result.Failure is { } failure ? failure.ToProblem() : TypedResults.Ok(ImportResponse.From(result.Value!).Linked(request));
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

    private static bool PrefersAsync(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(v => (v ?? string.Empty).Split(',')).Any(p => p.Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase));

    public static IResult TooLarge(ImportSettings settings, string what) => Problem(
        StatusCodes.Status413PayloadTooLarge,
        "The import is too large.",
        string.Create(CultureInfo.InvariantCulture,
            $"{what}; one import takes at most {settings.MaxBodyBytes} bytes and {settings.MaxRecords} records. Split the catalogue into files of at most {settings.MaxRecords} records " +
            $"(for NDJSON: split -l {settings.MaxRecords} catalogue.ndjson part-) and import each; prune=true needs the complete catalogue in one import."));

    private static ProblemHttpResult Problem(int status, string title, string detail, params (string Name, object Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        foreach (var (name, value) in extensions)
        {
            problem.Extensions[name] = value;
        }

        return TypedResults.Problem(problem);
    }
}
