using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Domain.Audit;

namespace RuralRegistry.Application.Audit;

/// <summary>One write request in the audit log.</summary>
/// <param name="Id">The entry's number, in the order written.</param>
/// <param name="OccurredAt">When the request was answered (UTC).</param>
/// <param name="Actor">Who wrote: the publisher's code, or <c>admin</c>.</param>
/// <param name="KeyId">Which API key (its id), or <c>admin</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query written to.</param>
/// <param name="Status">The answer's status code.</param>
/// <param name="TraceId">The request's trace id, as its answer and the logs carry it.</param>
public sealed record AuditEntryResponse(long Id, DateTimeOffset OccurredAt, string Actor, string KeyId, string Method, string Path, int Status, string TraceId);

public sealed record ListAuditQuery(string? Actor, int? PageSize, string? PageToken);

/// <summary>Keeps and lists the audit log of write requests, newest first.</summary>
public sealed class AuditLog(IRegistryDbContext db)
{
    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        db.AuditEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Result<Page<AuditEntryResponse>>> ListAsync(ListAuditQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var scope = PageToken.Scope("audit", [new("actor", query.Actor)]);
        var token = PageToken.Decode(query.PageToken, scope, keyLength: 1, errors);
        long before = long.MaxValue;
        if (token is not null && !long.TryParse(token.Key[0], System.Globalization.CultureInfo.InvariantCulture, out before))
        {
            errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var entries = db.AuditEntries.AsNoTracking().Where(a => a.Id < before);
        if (query.Actor is not null)
        {
            entries = entries.Where(a => a.Actor == query.Actor);
        }

        var rows = await entries.OrderByDescending(a => a.Id).Take(size + 1)
            .Select(a => new AuditEntryResponse(a.Id, a.OccurredAt, a.Actor, a.KeyId, a.Method, a.Path, a.Status, a.TraceId))
            .ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = new PageToken([rows[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Encode(scope);
        }

        return new Page<AuditEntryResponse>(rows, next);
    }
}
