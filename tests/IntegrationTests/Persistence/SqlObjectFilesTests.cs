using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Infrastructure.Persistence.Sql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// The files of Persistence/Sql and a database the migrations made cannot drift apart: every function (by
/// <c>pg_get_functiondef</c>), trigger (<c>pg_get_triggerdef</c>), expression index (<c>pg_get_indexdef</c>) and text
/// search configuration of the schema has its file, with the same definition, and every file its object. And a file
/// cannot change alone: Persistence/Sql/applied.txt names, for each file, the migration that last applied it and the
/// hash of the text it applied, so a changed file needs a migration that applies it again.
/// </summary>
public sealed class SqlObjectFilesTests
{
    private const string Functions = """
        SELECT n.nspname || '.' || p.proname, pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'registry'
        """;

    private const string Triggers = """
        SELECT t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = 'registry'::regnamespace AND NOT t.tgisinternal
        """;

    private const string TextSearchConfigurations = """
        SELECT n.nspname || '.' || c.cfgname, n.nspname || '.' || c.cfgname
        FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
        WHERE n.nspname = 'registry'
        """;

    [Fact]
    public void Every_embedded_sql_file_is_an_object_the_migrations_apply_and_each_is_applied_once()
    {
        var embedded = typeof(SqlObject).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(SqlObjects.ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        var applied = SqlObjects.All.Select(o => o.ResourceName).ToList();

        Assert.Equal(embedded, applied.Order(StringComparer.Ordinal));
        Assert.Equal(applied.Count, applied.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Every_function_trigger_index_and_text_search_configuration_of_the_migrated_database_is_its_file()
    {
        var connectionString = await SchemaDatabases.MigratedAsync();
        try
        {
            var indexNames = string.Join(", ", Of(SqlObjectKind.Index).Select(o => $"'{o.Name}'"));
            var indexes = await SchemaDatabases.DefinitionsAsync(connectionString,
                $"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '{RegistryDbContext.Schema}' AND indexname IN ({indexNames})");

            AssertSame(SqlObjectKind.Function, await SchemaDatabases.DefinitionsAsync(connectionString, Functions));
            AssertSame(SqlObjectKind.Trigger, await SchemaDatabases.DefinitionsAsync(connectionString, Triggers));
            AssertSame(SqlObjectKind.Index, indexes);
            // A configuration's definition is its mappings, which no catalog function prints: its name is compared,
            // and the search tests (folding of case and diacritics) hold its mappings.
            Assert.Equal(
                Of(SqlObjectKind.TextSearchConfiguration).Select(o => o.Name).Order(StringComparer.Ordinal),
                (await SchemaDatabases.DefinitionsAsync(connectionString, TextSearchConfigurations)).Keys.Order(StringComparer.Ordinal));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(connectionString);
        }
    }

    [Fact]
    public void Every_file_is_as_the_last_migration_that_applies_it_applied_it()
    {
        var ledger = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot(), "src", "Infrastructure", "Persistence", "Sql", "applied.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => (Migration: parts[1], Hash: parts[2]), StringComparer.Ordinal);
        var applying = MigrationsApplying();

        Assert.Equal(SqlObjects.All.Select(FileName).Order(StringComparer.Ordinal), ledger.Keys.Order(StringComparer.Ordinal));
        foreach (var sqlObject in SqlObjects.All)
        {
            var file = FileName(sqlObject);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sqlObject.Text)));
            Assert.True(ledger[file].Hash == hash,
                $"{file} changed since {ledger[file].Migration} applied it: add a migration that applies it again "
                + $"(migrationBuilder.ApplySqlObjects), and name it in Persistence/Sql/applied.txt with the hash {hash}.");
            Assert.True(applying.TryGetValue(sqlObject.Text, out var last) && last == ledger[file].Migration,
                $"applied.txt says {ledger[file].Migration} last applied {file}, but the last migration that applies its text is {last ?? "none"}.");
        }
    }

    /// <summary>For each SQL text a migration runs, the last migration that runs it.</summary>
    private static Dictionary<string, string> MigrationsApplying()
    {
        using var db = SchemaDatabases.Context("Host=localhost");
        var migrations = db.GetService<IMigrationsAssembly>();
        var provider = db.Database.ProviderName!;
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, type) in migrations.Migrations.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            foreach (var operation in migrations.CreateMigration(type, provider).UpOperations.OfType<SqlOperation>())
            {
                last[operation.Sql] = id;
            }
        }

        return last;
    }

    private static string FileName(SqlObject sqlObject) => sqlObject.ResourceName[SqlObjects.ResourcePrefix.Length..];

    private static IEnumerable<SqlObject> Of(SqlObjectKind kind) => SqlObjects.All.Where(o => o.Kind == kind);

    /// <summary>The same names on both sides, and for each the file's statement as the catalog prints it.</summary>
    private static void AssertSame(SqlObjectKind kind, Dictionary<string, string> inDatabase)
    {
        var files = Of(kind).ToDictionary(o => o.Name, o => Statement(o.Text), StringComparer.Ordinal);

        var withoutFile = inDatabase.Keys.Except(files.Keys).ToList();
        var withoutObject = files.Keys.Except(inDatabase.Keys).ToList();
        Assert.True(withoutFile is [] && withoutObject is [],
            $"{kind}s in the database without a file in Persistence/Sql: [{string.Join(", ", withoutFile)}]; "
            + $"{kind} files in Persistence/Sql with no object in the database: [{string.Join(", ", withoutObject)}]");
        foreach (var (name, definition) in inDatabase)
        {
            Assert.True(files[name] == definition.TrimEnd(),
                $"{kind} {name}: the database has{Environment.NewLine}{definition.TrimEnd()}{Environment.NewLine}and its file has{Environment.NewLine}{files[name]}");
        }
    }

    /// <summary>
    /// A file's defining statement: from its first line that starts with CREATE (after the comments and the DROP that
    /// make it re-runnable) to its end, without the final semicolon.
    /// </summary>
    private static string Statement(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, line => line.StartsWith("CREATE ", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no CREATE statement in{Environment.NewLine}{text}");
        return string.Join('\n', lines[start..]).TrimEnd().TrimEnd(';');
    }
}
