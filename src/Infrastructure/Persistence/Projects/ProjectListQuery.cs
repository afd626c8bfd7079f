using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Projects;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The project list's SQL: a page of keys with their stored representations, read over the derived search rows
/// (<see cref="ProjectFilterSql"/>) in the order of a sort (<see cref="ProjectOrder"/>), on plain Npgsql on the request's
/// read route (prepared once per connection, no pool reset, no EF context); and the projects a filter passes, for exports.
/// </summary>
internal sealed class ProjectListQuery(IServiceProvider services, ReadRoute route, ListSettings settings) : IProjectListQuery
{
    public IQueryable<Project> Matching(ProjectFilter filter)
    {
        var db = services.GetRequiredService<RegistryDbContext>();
        if (!filter.HasConditions)
        {
            return db.Projects.FromSqlRaw("SELECT r.* FROM registry.projects r WHERE r.deleted_at IS NULL").AsNoTracking();
        }

        var sql = new SqlParameters();
        var statement = $"SELECT r.* FROM registry.projects r WHERE r.id IN (SELECT p.id FROM {ProjectFilterSql.From(filter)} WHERE {ProjectFilterSql.Where(filter, sql)})";
        return db.Projects.FromSqlRaw(statement, [.. sql.Values]).AsNoTracking();
    }

    /// <summary>
    /// A page in one statement: the statement's snapshot, the keys and their bodies. Left alone, the planner walks a
    /// sort's index until enough rows pass the filters, expecting them spread evenly: a filter combination that matches
    /// few rows (or none) then reads most of the index. So a filtered page is read in up to three ways, each bounded but
    /// the last: (1) the first <see cref="ListSettings.WalkedRows"/> rows in the sort's order, filtered, which fills the
    /// page when matches are dense (the one statement); else (2) at most <see cref="ListSettings.BoundedMatches"/>
    /// matching rows found through the filters' own indexes (bitmap scans only), sorted, which is the answer whenever
    /// that few match; else (3) the sort's index walked to the end of the page (more match than the bound, so they are
    /// not rare). (2) and (3) read the rows the snapshot of (1) saw, as every later page of a walk does.
    /// </summary>
    public async Task<ProjectPageRows> PageAsync(
        ProjectFilter filter, ProjectSort sort, string? snapshot, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken)
    {
        var order = ProjectOrder.For(sort, filter.Search);
        var from = ProjectFilterSql.From(filter);

        await using var connection = await route.DataSource.OpenConnectionAsync(cancellationToken);
        route.Note(connection);
        if (!filter.HasConditions || sort.IsRelevance)
        {
            // Ranked by the documents alone, a search with no other filter on a first page reads no derived row.
            var documents = ProjectFilterSql.FromFor(filter, readsDerivedRows: !sort.IsRelevance || snapshot is not null);
            var (read, rows) = await ReadAsync(connection, null, sql => Page(order.Statement(documents, Condition(filter, sql, snapshot), after, limit, sql)), cancellationToken);
            return new ProjectPageRows(read, [.. rows.Select(r => r.Row)]);
        }

        var (walkedIn, walked) = await ReadAsync(
            connection, null, sql => Page(order.WalkStatement(from, Condition(filter, sql, snapshot), after, limit, settings.WalkedRows, sql)), cancellationToken);
        if (walked.Count == limit)
        {
            return new ProjectPageRows(walkedIn, [.. walked.Select(r => r.Row)]);
        }

        var seen = snapshot ?? walkedIn;
        var bound = settings.BoundedMatches;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", cancellationToken);
        var (_, found) = await ReadAsync(
            connection,
            transaction,
            sql => Page(order.BoundedStatement(from, Condition(filter, sql, seen), after, limit, bound, sql), $"k.\"Matches\" <= {bound.ToString(CultureInfo.InvariantCulture)}"),
            cancellationToken);
        await ExecuteAsync(connection, transaction, "SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT", cancellationToken);
        var page = found.Count == 0 || found[0].Matches <= bound
            ? found
            : (await ReadAsync(connection, transaction, sql => Page(order.Statement(from, Condition(filter, sql, seen), after, limit, sql)), cancellationToken)).Rows;
        await transaction.CommitAsync(cancellationToken);
        return new ProjectPageRows(walkedIn, [.. page.Select(r => r.Row)]);
    }

    /// <summary>The filter's condition, and on a later page of a walk, rows the walk's snapshot (<paramref name="seen"/>) saw.</summary>
    internal static string Condition(ProjectFilter filter, SqlParameters sql, string? seen) =>
        ProjectFilterSql.Where(filter, sql) + (seen is null ? "" : $" AND registry.written_in(p.written_xid, {sql.Add(seen)})");

    /// <summary>
    /// A statement of keys (columns "Id" and "K", and maybe "Matches"), in its order, with the statement's snapshot and
    /// each key's stored representation (where <paramref name="bodyCondition"/> holds); one row of nulls but the
    /// snapshot when no key comes back.
    /// </summary>
    private static string Page(string keys, string? bodyCondition = null) =>
        "SELECT s.snap, r.body, k.* FROM (SELECT pg_current_snapshot()::text AS snap) AS s " +
        $"LEFT JOIN LATERAL (SELECT row_number() OVER () AS n, t.* FROM ({keys}) AS t) AS k ON true " +
        $"LEFT JOIN registry.project_representations AS r ON r.id = k.\"Id\"{(bodyCondition is null ? "" : " AND " + bodyCondition)} ORDER BY k.n";

    private static async Task<(string Snapshot, List<PageRow> Rows)> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Func<SqlParameters, string> statement, CancellationToken cancellationToken)
    {
        var sql = SqlParameters.Positional();
        await using var command = new NpgsqlCommand(statement(sql), connection, transaction);
        sql.AddTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? snapshot = null;
        var rows = new List<PageRow>();
        var withMatches = reader.FieldCount > 5;
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshot ??= reader.GetString(0);
            if (reader.IsDBNull(3))
            {
                continue;
            }

            var body = reader.IsDBNull(1) ? null : new StoredJson(reader.GetFieldValue<byte[]>(1));
            rows.Add(new PageRow(new ProjectKeyRow(reader.GetGuid(3), reader.GetString(4), body), withMatches ? reader.GetInt64(5) : 0));
        }

        return (snapshot ?? throw new InvalidOperationException("A page statement returned no row."), rows);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string text, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(text, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private readonly record struct PageRow(ProjectKeyRow Row, long Matches);
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
