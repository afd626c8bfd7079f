using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Infrastructure.Persistence.Sql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// The EF model is the schema: a database made from the model alone (<c>EnsureCreated</c>) has the same tables,
/// columns, keys, constraints, indexes, sequences and extensions as one made by the migrations, apart from what the
/// files of Persistence/Sql add (<see cref="OnlyFromSqlFiles"/>).
/// </summary>
public sealed class ModelSchemaTests
{
    /// <summary>What the migrations make from Persistence/Sql that the model cannot declare, besides functions and triggers.</summary>
    private static readonly string[] OnlyFromSqlFiles =
    [
        "index ix_project_search_start_asc",
        "index ix_project_search_start_desc",
    ];

    /// <summary>Each query yields one line per object of the registry schema (the migrations' history table aside).</summary>
    private static readonly (string Kind, string Sql)[] Catalog =
    [
        ("table", """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'registry'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> '__ef_migrations_history'
            """),
        ("column", """
            SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                   coalesce(co.collname, ''), a.attidentity, a.attgenerated, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            LEFT JOIN pg_collation co ON co.oid = a.attcollation AND co.collname <> 'default'
            WHERE c.relnamespace = 'registry'::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> '__ef_migrations_history'
              AND a.attnum > 0 AND NOT a.attisdropped
            """),
        ("constraint", """
            SELECT c.relname || '.' || k.conname, k.contype, pg_get_constraintdef(k.oid)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            WHERE c.relnamespace = 'registry'::regnamespace AND c.relname <> '__ef_migrations_history'
            """),
        ("index", """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'registry' AND tablename <> '__ef_migrations_history'
            """),
        ("sequence", """
            SELECT sequencename, data_type::text, start_value, increment_by, min_value, max_value, cycle
            FROM pg_sequences WHERE schemaname = 'registry'
            """),
        ("extension", "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"),
    ];

    [Fact]
    public async Task The_schema_of_the_model_alone_is_the_schema_the_migrations_make_apart_from_the_sql_files()
    {
        var migrated = await SchemaDatabases.MigratedAsync();
        var modelOnly = await ModelOnlyAsync();
        try
        {
            var fromMigrations = await CatalogAsync(migrated);
            var fromModel = await CatalogAsync(modelOnly);

            var onlyMigrations = fromMigrations.Except(fromModel).ToList();
            var onlyModel = fromModel.Except(fromMigrations).ToList();
            Assert.True(onlyModel is [], "The model declares what the migrations do not make (add a migration):" + Lines(onlyModel));
            var unexpected = onlyMigrations.Where(line => !OnlyFromSqlFiles.Any(o => line.StartsWith(o + " | ", StringComparison.Ordinal))).ToList();
            Assert.True(unexpected is [], "The migrations make what the model does not declare:" + Lines(unexpected));
            Assert.Equal(OnlyFromSqlFiles.Order(StringComparer.Ordinal), onlyMigrations.Select(line => line[..line.IndexOf(" | ", StringComparison.Ordinal)]).Order(StringComparer.Ordinal));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(migrated);
            await PostgresServer.DropDatabaseAsync(modelOnly);
        }
    }

    [Fact]
    public void The_only_objects_the_comparison_leaves_out_besides_functions_and_triggers_are_the_sql_files_indexes()
    {
        var fromFiles = SqlObjects.All.Where(o => o.Kind == SqlObjectKind.Index).Select(o => "index " + o.Name);

        Assert.Equal(fromFiles.Order(StringComparer.Ordinal), OnlyFromSqlFiles.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// A database from the model alone. Only what a table's definition needs is applied first: the function
    /// <c>registry.joined</c>, which generates <c>partners.name_search</c>.
    /// </summary>
    private static async Task<string> ModelOnlyAsync()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "CREATE SCHEMA registry;\n" + string.Join("\n", SqlObjects.BeforeTables.Select(o => o.Text)), connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var db = SchemaDatabases.Context(connectionString);
        Assert.True(await db.Database.EnsureCreatedAsync());
        return connectionString;
    }

    private static async Task<List<string>> CatalogAsync(string connectionString)
    {
        var lines = new List<string>();
        foreach (var (kind, sql) in Catalog)
        {
            lines.AddRange((await SchemaDatabases.RowsAsync(connectionString, sql)).Select(row => $"{kind} {row}"));
        }

        return lines;
    }

    private static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(line => Environment.NewLine + "  " + line));
}
