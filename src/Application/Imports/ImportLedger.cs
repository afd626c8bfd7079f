using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Application.Imports;

/// <summary>Keeps imports and their reports, and shows them to the publisher that sent them (and to admins).</summary>
public sealed class ImportLedger(IRegistryDbContext db, IUniqueViolationDetector uniqueViolations)
{
    /// <summary>The caller's earlier import sent with this Idempotency-Key, if any.</summary>
    public Task<Import?> FindByKeyAsync(string actor, string idempotencyKey, CancellationToken cancellationToken) =>
        db.Imports.AsNoTracking().SingleOrDefaultAsync(i => i.Actor == actor && i.IdempotencyKey == idempotencyKey, cancellationToken);

    /// <summary>Records a received import; when another request with the same key won the race, returns that one instead.</summary>
    public async Task<(Import Import, bool IsNew)> AddAsync(Import import, CancellationToken cancellationToken)
    {
        db.Imports.Add(import);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return (import, true);
        }
        catch (DbUpdateException exception) when (import.IdempotencyKey is not null && uniqueViolations.IsUniqueViolation(exception))
        {
            db.ChangeTracker.Clear();
            var first = await FindByKeyAsync(import.Actor, import.IdempotencyKey, cancellationToken);
            return (first ?? throw new InvalidOperationException("An import with this idempotency key vanished."), false);
        }
    }

    /// <summary>
    /// Runs a request again whose first attempt ended failed (a server-side end: a restart, an outage, a lost race),
    /// as Stripe's idempotency keys do: the failed import gives its key up (its note says which import took it) and
    /// <paramref name="retry"/> is recorded under it. When another retry won the race, returns that one instead.
    /// </summary>
    public async Task<(Import Import, bool IsNew)> RetryAsync(Import failed, Import retry, CancellationToken cancellationToken)
    {
        var note = $" Its Idempotency-Key was sent again: import {retry.Id} runs it.";
        await db.Imports
            .Where(i => i.Id == failed.Id && i.State == ImportState.Failed && i.IdempotencyKey == failed.IdempotencyKey)
            .ExecuteUpdateAsync(
                set => set.SetProperty(i => i.IdempotencyKey, (string?)null)
                    .SetProperty(i => i.Error, i => (i.Error ?? string.Empty) + note),
                cancellationToken);
        return await AddAsync(retry, cancellationToken);
    }

    public async Task<Result<Import>> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var import = await db.Imports.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null)
        {
            return Failure.NotFound($"No import has the id {id}.");
        }

        return caller.IsAdmin || (import.PublisherId is not null && import.PublisherId == caller.PublisherId)
            ? import
            : Failure.Forbidden("The import was sent by another publisher; your key may not read it.");
    }

    /// <summary>Every outcome of an import, in report order (for the answer to a replayed request).</summary>
    public async Task<IReadOnlyList<ImportRecordResponse>> ReportAsync(Guid id, CancellationToken cancellationToken)
    {
        var rows = await db.ImportRecords.AsNoTracking().Where(r => r.ImportId == id).OrderBy(r => r.Position).ToListAsync(cancellationToken);
        return [.. rows.Select(Response)];
    }

    /// <summary>An import's outcomes in report order, paged; optionally only those of one status.</summary>
    public async Task<Result<Page<ImportRecordResponse>>> ListRecordsAsync(
        Caller caller, Guid id, ImportRecordStatus? status, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var import = await GetAsync(caller, id, cancellationToken);
        if (import.Failure is { } failure)
        {
            return failure;
        }

        var errors = new List<FieldError>();
        var size = PageSize.Resolve(pageSize, errors);
        var scope = PageToken.Scope($"imports/{id}/records", [new("status", status?.ToString())]);
        var token = PageToken.Decode(pageToken, scope, keyLength: 1, errors);
        var after = -1;
        if (token is not null && !int.TryParse(token.Key[0], CultureInfo.InvariantCulture, out after))
        {
            errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var rows = db.ImportRecords.AsNoTracking().Where(r => r.ImportId == id && r.Position > after);
        if (status is not null)
        {
            rows = rows.Where(r => r.Status == status);
        }

        var page = await rows.OrderBy(r => r.Position).Take(size + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (page.Count > size)
        {
            page.RemoveAt(size);
            next = new PageToken([page[^1].Position.ToString(CultureInfo.InvariantCulture)]).Encode(scope);
        }

        return new Page<ImportRecordResponse>([.. page.Select(Response)], next);
    }

    /// <summary>The caller's imports, newest first (an admin sees every publisher's).</summary>
    public async Task<Result<Page<ImportResponse>>> ListAsync(Caller caller, int? pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(pageSize, errors);
        var scope = PageToken.Scope("imports", [new("caller", caller.IsAdmin ? "admin" : caller.PublisherId?.ToString())]);
        var token = PageToken.Decode(pageToken, scope, keyLength: 1, errors);
        var before = Guid.Empty;
        if (token is not null && !Guid.TryParse(token.Key[0], out before))
        {
            errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var imports = db.Imports.AsNoTracking();
        if (!caller.IsAdmin)
        {
            imports = imports.Where(i => i.PublisherId == caller.PublisherId);
        }

        if (token is not null)
        {
            imports = imports.Where(i => i.Id.CompareTo(before) < 0);
        }

        var page = await imports.OrderByDescending(i => i.Id).Take(size + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (page.Count > size)
        {
            page.RemoveAt(size);
            next = new PageToken([page[^1].Id.ToString()]).Encode(scope);
        }

        return new Page<ImportResponse>([.. page.Select(ImportResponse.From)], next);
    }

    private static ImportRecordResponse Response(ImportRecord row) => new(
        row.Index,
        row.ExternalId,
        row.ProjectId,
        row.Status,
        row.Problem is null ? null : JsonSerializer.Deserialize<ImportRecordProblem>(row.Problem, ImportProjects.ProblemJson));
}
