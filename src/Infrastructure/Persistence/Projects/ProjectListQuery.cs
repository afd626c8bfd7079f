using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The project list's SQL: the keys of a page, read over the derived search rows (<see cref="ProjectFilterSql"/>)
/// in the order of a sort (<see cref="ProjectOrder"/>), and the projects a filter passes, for exports.
/// </summary>
internal sealed class ProjectListQuery(RegistryDbContext db, ListSettings settings) : IProjectListQuery
{
    public Task<string> CurrentSnapshotAsync(CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<string>("SELECT pg_current_snapshot()::text AS \"Value\"").SingleAsync(cancellationToken);

    public IQueryable<Project> Matching(ProjectFilter filter)
    {
        if (!filter.HasConditions)
        {
            return db.Projects.FromSqlRaw("SELECT r.* FROM registry.projects r WHERE r.deleted_at IS NULL").AsNoTracking();
        }

        var sql = new SqlParameters();
        var statement = $"SELECT r.* FROM registry.projects r WHERE r.id IN (SELECT p.id FROM {ProjectFilterSql.From(filter)} WHERE {ProjectFilterSql.Where(filter, sql)})";
        return db.Projects.FromSqlRaw(statement, [.. sql.Values]).AsNoTracking();
    }

    /// <summary>
    /// The keys of a page. Left alone, the planner walks a sort's index until enough rows pass the filters,
    /// expecting them spread evenly: a filter combination that matches few rows (or none) then reads most of
    /// the index. So a filtered page is read in up to three ways, each bounded but the last:
    /// (1) the first <see cref="ListSettings.WalkedRows"/> rows in the sort's order, filtered, which fills the page
    /// when matches are dense; else (2) at most <see cref="ListSettings.BoundedMatches"/> matching rows found
    /// through the filters' own indexes (bitmap scans only), sorted, which is the answer whenever that few match;
    /// else (3) the sort's index walked to the end of the page (more match than the bound, so they are not rare).
    /// </summary>
    public async Task<List<ProjectKeyRow>> KeysAsync(
        ProjectFilter filter, ProjectSort sort, string? snapshot, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken)
    {
        var order = ProjectOrder.For(sort, filter.Search);
        var from = ProjectFilterSql.From(filter);
        string Where(SqlParameters sql) =>
            ProjectFilterSql.Where(filter, sql) + (snapshot is null ? "" : $" AND registry.written_in(p.written_xid, {sql.Add(snapshot)})");

        async Task<List<T>> ReadAsync<T>(Func<SqlParameters, string> statement)
        {
            var sql = new SqlParameters();
            var text = statement(sql);
            return await db.Database.SqlQueryRaw<T>(text, [.. sql.Values]).ToListAsync(cancellationToken);
        }

        if (!filter.HasConditions || sort.IsRelevance)
        {
            // Ranked by the documents alone, a search with no other filter on a first page reads no derived row.
            var documents = ProjectFilterSql.FromFor(filter, readsDerivedRows: !sort.IsRelevance || snapshot is not null);
            return await ReadAsync<ProjectKeyRow>(sql => order.Statement(documents, Where(sql), after, limit, sql));
        }

        var walked = await ReadAsync<ProjectKeyRow>(sql => order.WalkStatement(from, Where(sql), after, limit, settings.WalkedRows, sql));
        if (walked.Count == limit)
        {
            return walked;
        }

        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (transaction)
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", cancellationToken);
            var found = await ReadAsync<BoundedKeyRow>(sql => order.BoundedStatement(from, Where(sql), after, limit, settings.BoundedMatches, sql));
            await db.Database.ExecuteSqlRawAsync("RESET enable_seqscan; RESET enable_indexscan", cancellationToken);
            var rows = found.Count == 0 || found[0].Matches <= settings.BoundedMatches
                ? [.. found.Select(f => new ProjectKeyRow(f.Id, f.K))]
                : await ReadAsync<ProjectKeyRow>(sql => order.Statement(from, Where(sql), after, limit, sql));

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return rows;
        }
    }

    private sealed record BoundedKeyRow(Guid Id, string K, long Matches);
}

/// <summary>
/// A <see cref="ProjectSort"/> as SQL: its key expression over the derived rows, and how a page resumes after a key.
/// Each sort but relevance walks an index.
/// </summary>
internal sealed class ProjectOrder
{
    private readonly Func<SqlParameters, string> _key;
    private readonly string _keyType;
    private readonly bool _descending;
    private readonly bool _withId;
    private readonly bool _idAscendingWhenDescending;

    private ProjectOrder(Func<SqlParameters, string> key, ProjectSort sort)
    {
        _key = key;
        _keyType = sort.KeyType switch
        {
            SortKeyType.Integer => "bigint",
            SortKeyType.Float => "float8",
            SortKeyType.Date => "date",
            _ => "text",
        };
        _descending = sort.Descending;
        _withId = sort.WithId;
        _idAscendingWhenDescending = sort.IdAscendingWhenDescending;
    }

    public static ProjectOrder For(ProjectSort sort, ProjectSearch? search) => sort.Key switch
    {
        ProjectSortKey.Relevance => new ProjectOrder(sql => Score(search!, sql), sort),
        ProjectSortKey.StartDate => new ProjectOrder(_ => "coalesce(p.start_lo, 'infinity'::date)", sort),
        ProjectSortKey.StartDateDescending => new ProjectOrder(_ => "coalesce(p.start_lo, '-infinity'::date)", sort),
        ProjectSortKey.Title => new ProjectOrder(_ => "p.title_key", sort),
        _ => new ProjectOrder(_ => "p.version", sort),
    };

    // Title matches first (1 + rank), then body matches (rank); ts_rank normalised to [0, 1) by rank/(rank+1).
    private static string Score(ProjectSearch search, SqlParameters sql) =>
        $"((d.document @@ to_tsquery('registry.folded', {sql.Add(search.TitleQuery)}))::int + ts_rank(d.document, to_tsquery('registry.folded', {sql.Add(search.Query)}), 32))::float8";

    public string Statement(string from, string where, IReadOnlyList<string>? after, int limit, SqlParameters sql)
    {
        var (rows, orderBy) = Parts(from, where, after, sql);
        return $"SELECT s.id AS \"Id\", s.k::text AS \"K\" FROM ({rows}) AS s ORDER BY {orderBy} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The first <paramref name="limit"/> of at most <paramref name="bound"/> + 1 matching rows, sorted, each row
    /// with the number of matches read (bound + 1 means more match than the bound).
    /// </summary>
    public string BoundedStatement(string from, string where, IReadOnlyList<string>? after, int limit, int bound, SqlParameters sql)
    {
        var (rows, orderBy) = Parts(from, where, after, sql);
        return $"WITH m AS MATERIALIZED ({rows} LIMIT {(bound + 1).ToString(CultureInfo.InvariantCulture)}) " +
            $"SELECT s.id AS \"Id\", s.k::text AS \"K\", (SELECT count(*) FROM m) AS \"Matches\" FROM m AS s ORDER BY {orderBy} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The first <paramref name="limit"/> matching rows among the first <paramref name="walked"/> rows after the key in
    /// this order, matching or not: the page itself when it comes back full.
    /// </summary>
    public string WalkStatement(string from, string where, IReadOnlyList<string>? after, int limit, int walked, SqlParameters sql)
    {
        var (rows, orderBy) = Parts(from, "true", after, sql, select: $"({where}) AS ok");
        return $"SELECT s.id AS \"Id\", s.k::text AS \"K\" FROM ({rows} ORDER BY {orderBy} LIMIT {walked.ToString(CultureInfo.InvariantCulture)}) AS s " +
            $"WHERE s.ok ORDER BY {orderBy} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The matching rows after the key (id and sort key k, unordered), and the order over them.</summary>
    private (string Rows, string OrderBy) Parts(string from, string where, IReadOnlyList<string>? after, SqlParameters sql, string? select = null)
    {
        var keyExpression = _key(sql);
        var direction = _descending ? "DESC" : "ASC";
        var idDirection = _descending && !_idAscendingWhenDescending ? "DESC" : "ASC";
        var resume = "";
        if (after is not null)
        {
            var key = $"{sql.Add(after[0])}::{_keyType}";
            var comparison = _descending ? "<" : ">";
            if (!_withId)
            {
                resume = $" AND s.k {comparison} {key}";
            }
            else if (idDirection == direction)
            {
                // One direction: a row comparison, which an index on (key, id) answers directly.
                resume = $" AND (s.k, s.id) {comparison} ({key}, {sql.Add(Guid.Parse(after[1]))})";
            }
            else
            {
                var id = sql.Add(Guid.Parse(after[1]));
                resume = $" AND (s.k {comparison} {key} OR (s.k = {key} AND s.id > {id}))";
            }
        }

        var orderBy = _withId ? $"s.k {direction}, s.id {idDirection}" : $"s.k {direction}";
        var extra = select is null ? "" : ", s.ok";
        var extraInner = select is null ? "" : ", " + select;
        return ($"SELECT s.id, s.k{extra} FROM (SELECT p.id, {keyExpression} AS k{extraInner} FROM {from} WHERE {where}) AS s WHERE true{resume}", orderBy);
    }
}
