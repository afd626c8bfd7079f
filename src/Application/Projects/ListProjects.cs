using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;

namespace RuralRegistry.Application.Projects;

public sealed record ListProjectsQuery(string? Publisher, Guid? Partner, int? PageSize, string? PageToken);

/// <summary>Lists live projects, most recently changed first, a keyset page at a time.</summary>
public sealed class ListProjects(IRegistryDbContext db, ProjectReader reader)
{
    public async Task<Result<Page<ProjectResponse>>> HandleAsync(ListProjectsQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var filter = new ProjectFilter(query.Publisher, query.Partner);
        var scope = PageToken.Scope("projects", [new("sort", "-updatedAt"), .. filter.Canonical()]);
        var token = PageToken.Decode(query.PageToken, scope, keyLength: 1, errors);
        long? after = null;
        if (token is not null)
        {
            if (long.TryParse(token.Key[0], System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                after = version;
            }
            else
            {
                errors.Add(FieldError.Query(PageToken.ParameterName, "pageToken is not a token this collection handed out; start again without it."));
            }
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var filtered = await filter.ApplyAsync(db, cancellationToken);
        if (filtered.Failure is { } failure)
        {
            return failure;
        }

        var projects = filtered.Value!;
        if (after is { } lastVersion)
        {
            projects = projects.Where(p => p.Version < lastVersion);
        }

        // Every change takes the next number of the change sequence, so version order is change order:
        // most recently changed first, one unique key, no ties.
        var keys = await projects
            .OrderByDescending(p => p.Version)
            .Take(size + 1)
            .Select(p => new { p.Id, p.Version })
            .ToListAsync(cancellationToken);
        string? next = null;
        if (keys.Count > size)
        {
            keys.RemoveAt(size);
            next = new PageToken([keys[^1].Version.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Encode(scope);
        }

        var items = await reader.ReadAsync([.. keys.Select(k => k.Id)], cancellationToken);
        return new Page<ProjectResponse>(items, next);
    }
}
