using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Application.Projects;

/// <summary>The filters a project list and a project export share.</summary>
public sealed record ProjectFilter(string? Publisher, Guid? Partner)
{
    public IEnumerable<KeyValuePair<string, string?>> Canonical() =>
        [new("publisher", Publisher), new("partner", Partner?.ToString())];

    /// <summary>Live projects that pass the filter; a publisher that does not exist is a 400.</summary>
    public async Task<Result<IQueryable<Project>>> ApplyAsync(IRegistryDbContext db, CancellationToken cancellationToken)
    {
        var projects = db.Projects.AsNoTracking().Where(p => p.DeletedAt == null);
        if (Publisher is not null)
        {
            var publisherId = await db.Publishers.Where(p => p.Code == Publisher).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
            if (publisherId is null)
            {
                return new List<FieldError> { FieldError.Query("publisher", $"No publisher has the code '{Publisher}'.") };
            }

            projects = projects.Where(p => p.PublisherId == publisherId);
        }

        if (Partner is { } partnerId)
        {
            projects = projects.Where(p => p.Partners.Any(pp => pp.PartnerId == partnerId));
        }

        return Result<IQueryable<Project>>.Of(projects);
    }
}
