using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence.Reference;

/// <summary>The reference lists' q as SQL: every word in the scheme, code or a name (registry.fold on both sides).</summary>
internal sealed class ReferenceNodeSearch(RegistryDbContext db) : IReferenceNodeSearch
{
    public IQueryable<TNode> Matching<TNode>(IReadOnlyList<string> words)
        where TNode : class
    {
        var entity = db.Model.FindEntityType(typeof(TNode)) ?? throw new InvalidOperationException($"{typeof(TNode).Name} is not in the model.");
        var table = entity.GetSchema() + "." + entity.GetTableName();
        var sql = new SqlParameters();
        var conditions = words.Select(word =>
            $"strpos(registry.fold(scheme || ' ' || code || ' ' || registry.localized_text(details -> 'name')), registry.fold({sql.Add(word)})) > 0");
        var statement = "SELECT * FROM " + table + " WHERE " + string.Join(" AND ", conditions);
        return db.Set<TNode>().FromSqlRaw(statement, [.. sql.Values]);
    }
}
