using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RuralRegistry.Infrastructure.Persistence.Migrations
{
    /// <summary>Partners' folded names and acronym as one text, for q on the partner list (trigram index: any substring).</summary>
    public partial class PartnerNameSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION registry.joined(items text[]) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE
                AS $$ SELECT array_to_string(items, ' ') $$;
                ALTER TABLE registry.partners
                    ADD COLUMN name_search text GENERATED ALWAYS AS (registry.joined(name_keys) || ' ' || lower(coalesce(details ->> 'acronym', ''))) STORED;
                CREATE INDEX ix_partners_name_search ON registry.partners USING gin (name_search public.gin_trgm_ops) WHERE deleted_at IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX registry.ix_partners_name_search;
                ALTER TABLE registry.partners DROP COLUMN name_search;
                DROP FUNCTION registry.joined(text[]);
                """);
        }
    }
}
