using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Infrastructure.Persistence.Partners;

/// <summary>The partner list's SQL: live partners by folded name words (the trigram index on name_search), country and kind.</summary>
internal sealed class PartnerListQuery(RegistryDbContext db) : IPartnerListQuery
{
    public IQueryable<Partner> Matching(PartnerCriteria criteria)
    {
        var sql = new SqlParameters();
        var conditions = new List<string> { "deleted_at IS NULL" };
        // Folded words hold letters and digits only, so they need no escaping in a LIKE pattern.
        conditions.AddRange(criteria.Words.Select(word => $"name_search LIKE {sql.Add("%" + word + "%")}"));
        if (criteria.Countries.Count > 0)
        {
            conditions.Add($"country_key = ANY ({sql.Add(criteria.Countries.ToArray())})");
        }

        if (criteria.Kinds.Count > 0)
        {
            conditions.Add($"details ->> 'kind' = ANY ({sql.Add(criteria.Kinds.ToArray())})");
        }

        // Built from the fixed fragments above; every value is a parameter.
        var statement = "SELECT * FROM registry.partners WHERE " + string.Join(" AND ", conditions);
        return db.Partners.FromSqlRaw(statement, [.. sql.Values]).AsNoTracking();
    }
}
