using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
/// <summary>Tuning of project lists (configuration section <c>Lists</c>).</summary>
public sealed class ListSettings
{
    public const string Section = "Lists";

    /// <summary>How many matching rows a filtered page sorts itself before it walks the sort's index instead.</summary>
    public int BoundedMatches { get; set; } = 5_000;

    /// <summary>How many rows in a sort's order a filtered page reads first, hoping to fill itself from them.</summary>
    public int WalkedRows { get; set; } = 5_000;
}

public sealed class ListProjects(IRegistryDbContext db, ProjectReader reader, ListSettings settings, TimeProvider clock)
{
    public const string Relevance = "relevance";
    public const string RecentlyUpdated = "-updatedAt";
    public static readonly string[] Sorts = [Relevance, RecentlyUpdated, "startDate", "-startDate", "title"];

    public async Task<Result<Page<ProjectResponse>>> HandleAsync(ListProjectsQuery query, CancellationToken cancellationToken)
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

        var parsed = await ProjectFilter.ParseAsync(query.Filter, db, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        if (parsed.Failure is { } failure)
        {
            errors.AddRange(failure.Errors);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        var filter = parsed.Value!;
        var order = ProjectOrder.For(sort, filter.Search);
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

        if (token is null)
        {
            // The first page is read in one snapshot, which the token carries on.
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var snapshot = await db.Database.SqlQueryRaw<string>("SELECT pg_current_snapshot()::text AS \"Value\"").SingleAsync(cancellationToken);
            var page = await ReadPageAsync(filter, order, snapshot: null, after: null, size, scope, snapshot, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return page;
        }

        return await ReadPageAsync(filter, order, token.Key[0], [.. token.Key.Skip(1)], size, scope, token.Key[0], cancellationToken);
    }

    private async Task<Page<ProjectResponse>> ReadPageAsync(
        ProjectFilter filter, ProjectOrder order, string? snapshot, IReadOnlyList<string>? after, int size, string scope, string walkSnapshot, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(filter, order, snapshot, after, size + 1, cancellationToken);
        string? next = null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
            next = new PageToken([walkSnapshot, .. order.KeyOf(rows[^1])]).Encode(scope);
        }

        var items = await reader.ReadAsync([.. rows.Select(r => r.Id)], cancellationToken);
        return new Page<ProjectResponse>(items, next);
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
    private async Task<List<ProjectKeyRow>> RowsAsync(
        ProjectFilter filter, ProjectOrder order, string? snapshot, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken)
    {
        string Where(SqlParameters sql) =>
            filter.Where(sql) + (snapshot is null ? "" : $" AND registry.written_in(p.written_xid, {sql.Add(snapshot)})");

        async Task<List<T>> ReadAsync<T>(Func<SqlParameters, string> statement)
        {
            var sql = new SqlParameters();
            var text = statement(sql);
            return await db.Database.SqlQueryRaw<T>(text, [.. sql.Values]).ToListAsync(cancellationToken);
        }

        if (!filter.HasConditions || order.IsRelevance)
        {
            // Ranked by the documents alone, a search with no other filter on a first page reads no derived row.
            var from = filter.FromFor(readsDerivedRows: !order.IsRelevance || snapshot is not null);
            return await ReadAsync<ProjectKeyRow>(sql => order.Statement(from, Where(sql), after, limit, sql));
        }

        var walked = await ReadAsync<ProjectKeyRow>(sql => order.WalkStatement(filter.From, Where(sql), after, limit, settings.WalkedRows, sql));
        if (walked.Count == limit)
        {
            return walked;
        }

        var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await using (transaction)
        {
            await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off", cancellationToken);
            var found = await ReadAsync<BoundedKeyRow>(sql => order.BoundedStatement(filter.From, Where(sql), after, limit, settings.BoundedMatches, sql));
            await db.Database.ExecuteSqlRawAsync("RESET enable_seqscan; RESET enable_indexscan", cancellationToken);
            var rows = found.Count == 0 || found[0].Matches <= settings.BoundedMatches
                ? [.. found.Select(f => new ProjectKeyRow(f.Id, f.K))]
                : await ReadAsync<ProjectKeyRow>(sql => order.Statement(filter.From, Where(sql), after, limit, sql));

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return rows;
        }
    }

    private sealed record BoundedKeyRow(Guid Id, string K, long Matches);
}

/// <summary>One row of a keyset query: the project and its sort key as text.</summary>
public sealed record ProjectKeyRow(Guid Id, string K);

/// <summary>
/// How each sort orders rows, with the project id as the last tie-breaker so the order is total, and
/// how a page resumes after a key. Each sort but relevance walks an index.
/// </summary>
internal sealed class ProjectOrder
{
    private readonly Func<SqlParameters, string> _key;
    private readonly string _keyType;
    private readonly bool _descending;
    private readonly bool _withId;
    private readonly bool _idAscendingWhenDescending;

    private ProjectOrder(Func<SqlParameters, string> key, string keyType, bool descending, bool withId, bool idAscendingWhenDescending = false)
    {
        _key = key;
        _keyType = keyType;
        _descending = descending;
        _withId = withId;
        _idAscendingWhenDescending = idAscendingWhenDescending;
    }

    public int KeyLength => _withId ? 2 : 1;

    public bool IsRelevance { get; private init; }

    public static ProjectOrder For(string sort, ProjectSearch? search) => sort switch
    {
        ListProjects.Relevance => new ProjectOrder(sql => Score(search!, sql), "float8", descending: true, withId: true, idAscendingWhenDescending: true) { IsRelevance = true },
        "startDate" => new ProjectOrder(_ => "coalesce(p.start_lo, 'infinity'::date)", "date", descending: false, withId: true),
        "-startDate" => new ProjectOrder(_ => "coalesce(p.start_lo, '-infinity'::date)", "date", descending: true, withId: true),
        "title" => new ProjectOrder(_ => "p.title_key", "text", descending: false, withId: true),
        _ => new ProjectOrder(_ => "p.version", "bigint", descending: true, withId: false),
    };

    // Title matches first (1 + rank), then body matches (rank); ts_rank normalised to [0, 1) by rank/(rank+1).
    private static string Score(ProjectSearch search, SqlParameters sql) =>
        $"((d.document @@ to_tsquery('registry.folded', {sql.Add(search.TitleQuery)}))::int + ts_rank(d.document, to_tsquery('registry.folded', {sql.Add(search.Query)}), 32))::float8";

    public bool IsValidKey(IReadOnlyList<string> key)
    {
        var valid = _keyType switch
        {
            "bigint" => long.TryParse(key[0], NumberStyles.None, CultureInfo.InvariantCulture, out _),
            "float8" => double.TryParse(key[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && double.IsFinite(score),
            "date" => key[0] is "infinity" or "-infinity" || DateOnly.TryParseExact(key[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            _ => key[0].Length <= 200,
        };
        return valid && (!_withId || Guid.TryParse(key[1], out _));
    }

    public IEnumerable<string> KeyOf(ProjectKeyRow row) => _withId ? [row.K, row.Id.ToString()] : [row.K];

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
