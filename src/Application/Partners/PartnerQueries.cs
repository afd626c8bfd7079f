using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Partners;

public sealed record ListPartnersQuery(int? PageSize, string? PageToken, string? Q = null, IReadOnlyList<string>? Country = null, IReadOnlyList<string>? Kind = null);

/// <summary>Reads partners: one by id (a deleted one is gone), or all, a keyset page at a time in registration order.</summary>
public sealed class PartnerQueries(IRegistryDbContext db, IPartnerListQuery list, TypeAdapterConfig mapping)
{
    public async Task<Result<PartnerResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var row = await Rows(db.Partners.Where(p => p.Id == id)).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return Failure.NotFound($"No partner has the id {id}.");
        }

        return row.DeletedAt is null ? ToResponse(row) : Failure.Gone($"The partner {id} was deleted.");
    }

    /// <summary>The live partners of these ids, by id, in one statement whatever their number (the feed's <c>include=record</c>).</summary>
    public async Task<Dictionary<Guid, PartnerResponse>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await Rows(db.Partners.Where(p => ids.Contains(p.Id) && p.DeletedAt == null)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Id, ToResponse);
    }

    public async Task<Result<Page<PartnerResponse>>> ListAsync(ListPartnersQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var filter = Filter(query, errors);
        var scope = PageToken.Scope("partners", [new("sort", "id"), .. filter.Canonical]);
        var token = PageToken.Decode(query.PageToken, scope, keyLength: 1, errors);
        Guid after = default;
        if (token is not null && !Guid.TryParse(token.Key[0], out after))
        {
            errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var partners = list.Matching(filter.Criteria);
        if (token is not null)
        {
            partners = partners.Where(p => p.Id > after);
        }

        var rows = await Rows(partners.OrderBy(p => p.Id).Take(size + 1)).ToListAsync(cancellationToken);
        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = new PageToken([rows[^1].Id.ToString()]).Encode(scope);
        }

        return new Page<PartnerResponse>([.. rows.OrderBy(r => r.Id).Select(ToResponse)], next);
    }

    private static readonly string[] Kinds = [.. Enum.GetNames<PartnerKind>().Select(k => k.ToLowerInvariant())];

    private sealed record PartnerFilter(PartnerCriteria Criteria, List<KeyValuePair<string, string?>> Canonical);

    /// <summary>q: every word in the names or the acronym (folded as names are for matching); country and kind: any of the values.</summary>
    private static PartnerFilter Filter(ListPartnersQuery query, List<FieldError> errors)
    {
        string[] words = [];
        var canonical = new List<KeyValuePair<string, string?>>();
        if (query.Q is not null)
        {
            words = query.Q.Length > 200 ? [] : Partner.NameKey(query.Q).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (words.Length is 0 or > 12)
            {
                errors.Add(FieldError.Query("q", "q holds 1 to 12 words of at most 200 characters in all."));
            }

            canonical.Add(new("q", string.Join(' ', words)));
        }

        var countries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in query.Country ?? [])
        {
            if (CountryCode.TryCreate(value, out var code, out var error))
            {
                countries.Add(code.Value);
            }
            else
            {
                errors.Add(FieldError.Query("country", error!));
            }
        }

        if (countries.Count > 0)
        {
            canonical.Add(new("country", string.Join('|', countries)));
        }

        var kinds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in query.Kind ?? [])
        {
            if (Kinds.Contains(value, StringComparer.Ordinal))
            {
                kinds.Add(value);
            }
            else
            {
                errors.Add(FieldError.Query("kind", $"'{value}' is not a kind of partner; one of: {string.Join(", ", Kinds)}."));
            }
        }

        if (kinds.Count > 0)
        {
            canonical.Add(new("kind", string.Join('|', kinds)));
        }

        return new PartnerFilter(new PartnerCriteria(words, [.. countries], [.. kinds]), canonical);
    }

    private IQueryable<Row> Rows(IQueryable<Partner> partners) =>
        partners.AsNoTracking().Select(p => new Row(
            p.Id,
            p.Details,
            db.Publishers.Where(u => u.Id == p.OwnerPublisherId).Select(u => u.Code).FirstOrDefault(),
            p.CreatedAt,
            p.UpdatedAt,
            p.DeletedAt,
            p.Version));

    private PartnerResponse ToResponse(Row row) => new(
        row.Id,
        row.Details.Name,
        row.Details.Acronym,
        row.Details.Kind,
        row.Details.Country?.Value,
        row.Details.Region?.Value,
        row.Details.Website,
        row.Details.Email,
        row.Details.Identifiers.Adapt<List<IdentifierDto>>(mapping),
        row.Owner,
        row.CreatedAt,
        row.UpdatedAt,
        row.Version);

    private sealed record Row(Guid Id, PartnerDetails Details, string? Owner, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt, long Version);
}
