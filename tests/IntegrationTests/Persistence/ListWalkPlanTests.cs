using System.Text.Json.Nodes;
using Npgsql;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Projects;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Infrastructure.Persistence.Projects;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// A filtered list page in the default order (newest version first) walks <c>ix_project_search_version</c> backwards and
/// tests each row it walks; the index covers what the test reads (facets, status, and on a later page written_xid), so
/// the walk reads no row of the table: an index-only scan with no heap fetch, on the first page and on a later one. Built
/// by the API's own statement builders, over 60,000 derived rows (the planner walks an index only when the table is
/// large enough for that to pay).
/// </summary>
public sealed class ListWalkPlanTests
{
    private const int Rows = 60_000;

    [Fact]
    public async Task A_filtered_page_in_the_default_order_walks_the_version_index_alone_on_the_first_page_and_on_a_later_one()
    {
        var connectionString = await SchemaDatabases.MigratedAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // One row in 25 is a completed tourism project in Poland; the others differ in one of the three.
        await ExecuteAsync(connection, $$"""
            INSERT INTO registry.project_search (id, publisher_id, version, updated_at, written_xid, title_key, declared_status, countries, measure_ids, goal_ids, facets, status)
            SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', g, now(), txid_current(), 'project ' || g, 'unknown',
                   ARRAY[CASE WHEN g % 5 = 0 THEN 'PL' ELSE 'LT' END], '{}', '{}',
                   ARRAY['c:' || CASE WHEN g % 5 = 0 THEN 'PL' ELSE 'LT' END, 't:' || CASE WHEN g % 25 IN (0, 5) THEN 'tourism' ELSE 'food' END, 'l:pl', 'pc:LV'],
                   CASE WHEN g % 25 IN (0, 10) THEN 'completed' ELSE 'ongoing' END
            FROM generate_series(1, {{Rows}}) AS g
            """);
        // Vacuumed until every page is all-visible, as autovacuum leaves a table that is not being written: a
        // transaction running elsewhere on the server (another test's) can keep a first VACUUM from marking them.
        for (var attempt = 1; ; attempt++)
        {
            await ExecuteAsync(connection, "VACUUM (ANALYZE) registry.project_search");
            var pages = await ScalarAsync(connection, "SELECT relpages::bigint - relallvisible FROM pg_class WHERE oid = 'registry.project_search'::regclass");
            if (pages == 0)
            {
                break;
            }

            Assert.True(attempt < 60, $"{pages} pages of registry.project_search still not all-visible after {attempt} VACUUMs");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        var snapshot = (string)(await new NpgsqlCommand("SELECT pg_current_snapshot()::text", connection).ExecuteScalarAsync())!;

        var parsed = await ProjectFilter.ParseAsync(
            new ProjectFilterInput { Country = ["PL"], Theme = ["tourism"], Status = ["completed"] },
            new Lazy<IRegistryDbContext>(() => throw new InvalidOperationException("These filters need no lookup.")),
            terms: null!,
            CancellationToken.None);
        var filter = parsed.Value!;
        var order = ProjectOrder.For(ProjectSort.For(ListProjects.RecentlyUpdated), search: null);

        foreach (var (seen, after) in new (string?, string[]?)[] { (null, null), (snapshot, ["40000"]) })
        {
            var sql = SqlParameters.Positional();
            var walk = order.WalkStatement(ProjectFilterSql.From(filter), ProjectListQuery.Condition(filter, sql, seen), after, limit: 21, walked: 5_000, sql);
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + walk, connection);
            sql.AddTo(command);
            var plan = JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)![0]!["Plan"]!;
            var scans = Nodes(plan).Where(n => (string?)n["Relation Name"] == "project_search").ToList();
            var page = seen is null ? "first page" : "later page";

            var scan = Assert.Single(scans);
            Assert.True((string?)scan["Node Type"] == "Index Only Scan", $"{page}: {scan["Node Type"]} of project_search, not an index-only scan:\n{plan}");
            Assert.Equal("ix_project_search_version", (string?)scan["Index Name"]);
            Assert.Equal("Backward", (string?)scan["Scan Direction"]);
            Assert.True((long)scan["Heap Fetches"]! == 0, $"{page}: {scan["Heap Fetches"]} heap fetches:\n{plan}");
            Assert.Equal(21, (long)plan["Actual Rows"]!);
        }
    }

    private static IEnumerable<JsonNode> Nodes(JsonNode node) =>
        new[] { node }.Concat(node["Plans"]?.AsArray().SelectMany(p => Nodes(p!)) ?? []);

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
