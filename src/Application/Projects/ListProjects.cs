using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;

namespace RuralRegistry.Application.Projects;

public sealed record ListProjectsQuery(ProjectFilterInput Filter, string? Sort, int? PageSize, string? PageToken);

/// <summary>
/// Lists live projects that pass the filters, in the order asked for, a keyset page at a time.
/// <para>
/// A walk is stable: the first page notes the database snapshot it was read in, and every later page
/// hands out only rows whose current version that snapshot already saw, resuming after the last sort
/// key. A record that stays unchanged throughout a walk is therefore seen exactly once, whatever is
/// inserted, updated or deleted meanwhile; one written during the walk is not seen again in it (its
/// new version is in the next walk, and in the change feed).
/// </para>
/// </summary>
public sealed class ListProjects(Lazy<IRegistryDbContext> db, IProjectListQuery projects, IProjectSearchTerms terms)
{
    public const string Relevance = "relevance";
    public const string RecentlyUpdated = "-updatedAt";
    public static readonly string[] Sorts = [Relevance, RecentlyUpdated, "startDate", "-startDate", "title"];

    public async Task<Result<Page<StoredJson>>> HandleAsync(ListProjectsQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var sort = query.Sort ?? (query.Filter.Q is not null ? Relevance : RecentlyUpdated);
        if (!Sorts.Contains(sort, StringComparer.Ordinal))
        {
            errors.Add(FieldError.Query("sort", $"'{sort}' is not a sort; one of: {string.Join(", ", Sorts)}."));
        }
        else if (sort == Relevance && query.Filter.Q is null)
        {
            errors.Add(FieldError.Query("sort", "sort=relevance ranks by the words of q; give q, or another sort."));
        }

        var parsed = await ProjectFilter.ParseAsync(query.Filter, db, terms, cancellationToken);
        if (parsed.Failure is { } failure)
        {
            errors.AddRange(failure.Errors);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var filter = parsed.Value!;
        var order = ProjectSort.For(sort);
        var scope = PageToken.Scope("projects", [new("sort", sort), .. filter.Canonical()]);
        var token = PageToken.Decode(query.PageToken, scope, keyLength: 1 + order.KeyLength, errors);
        if (token is not null && !order.IsValidKey(token.Key.Skip(1).ToList()))
        {
            errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        // The first page's snapshot is the one its statement read in; the token carries it on.
        var after = token?.Key.Skip(1).ToList();
        var read = await projects.PageAsync(filter, order, token?.Key[0], after, size + 1, cancellationToken);
        var rows = read.Rows;
        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = new PageToken([token?.Key[0] ?? read.Snapshot, .. order.KeyOf(rows[^1])]).Encode(scope);
        }

        return new Page<StoredJson>([.. rows.Where(r => r.Body is not null).Select(r => r.Body!)], next);
    }
}
