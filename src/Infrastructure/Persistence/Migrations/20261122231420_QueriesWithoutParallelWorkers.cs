using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// The registry answers many short queries at once; PostgreSQL's parallel workers made a search that takes
    /// 20 ms alone take 100 ms or more (starting workers and merging their sorts on a small server already busy
    /// with other requests), and every parallel query takes cores other requests need. They are switched off for
    /// this database when the migrating role owns it (else left as the server has them, with a notice).
    /// </summary>
    public partial class QueriesWithoutParallelWorkers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE format('ALTER DATABASE %I SET max_parallel_workers_per_gather = 0', current_database());
                EXCEPTION WHEN insufficient_privilege THEN
                    RAISE NOTICE 'parallel workers stay as the server has them: only the owner of the database may switch them off';
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    EXECUTE format('ALTER DATABASE %I RESET max_parallel_workers_per_gather', current_database());
                EXCEPTION WHEN insufficient_privilege THEN
                    NULL;
                END $$;
                """);
        }
    }
}
