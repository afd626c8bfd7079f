using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;

namespace RuralRegistry.Application.Publishers;

public sealed record ListPublishersQuery(int? PageSize, string? PageToken);

/// <summary>Lists publishers by code, a keyset page at a time.</summary>
public sealed class ListPublishers(IRegistryDbContext db, TypeAdapterConfig mapping)
{
    private static readonly string TokenScope = PageToken.Scope("publishers", [new("sort", "code")]);

    public async Task<Result<Page<PublisherResponse>>> HandleAsync(ListPublishersQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var token = PageToken.Decode(query.PageToken, TokenScope, keyLength: 1, errors);
        if (errors.Count > 0)
        {
            return errors;
        }

        var publishers = db.Publishers.AsNoTracking();
        if (token is not null)
        {
            var after = token.Key[0];
            publishers = publishers.Where(p => string.Compare(p.Code, after) > 0);
        }

        var rows = await publishers
            .OrderBy(p => p.Code)
            .Take(size + 1)
            .ProjectToType<PublisherResponse>(mapping)
            .ToListAsync(cancellationToken);

        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = new PageToken([rows[^1].Code]).Encode(TokenScope);
        }

        return new Page<PublisherResponse>(rows, next);
    }
}
