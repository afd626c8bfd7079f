using System.Reflection;

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The texts of <c>Persistence/Sql</c> files as Baseline applied them, for the files a later migration changed in a way
    /// Baseline's schema cannot take yet (an old migration never depends on a newer one's text). Each is a file of its
    /// own in <c>Persistence/Migrations/Sql</c>, named for the migration that applies it, embedded like the current ones.
    /// </summary>
    public partial class Baseline
    {
        /// <summary><c>registry.refresh_project_search</c> before <c>ProjectStatusStamped</c> (no <c>status</c> column).</summary>
        internal static string RefreshProjectSearchAtBaseline => OwnCopy("Baseline.registry.refresh_project_search.sql");

        private static string OwnCopy(string file)
        {
            var name = $"MigrationSql/{file}";
            using var stream = typeof(Baseline).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The SQL file {name} is not embedded in {typeof(Baseline).Assembly.GetName().Name}.");
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
    }
}
