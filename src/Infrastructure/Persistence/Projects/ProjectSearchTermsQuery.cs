using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>The search's SQL: words split and folded by the registry.folded configuration, and near words from registry.search_terms.</summary>
internal sealed class ProjectSearchTermsQuery(RegistryDbContext db) : IProjectSearchTerms
{
    public Task<List<string>> WordsAsync(string q, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<string>(
                """
                SELECT t.lexemes[1] AS "Value"
                FROM ts_debug('registry.folded', {0}) WITH ORDINALITY AS t(alias, description, token, dictionaries, dictionary, lexemes, n)
                WHERE t.alias NOT IN ('asciihword', 'hword', 'numhword') AND cardinality(t.lexemes) > 0
                ORDER BY t.n
                """, q)
            .ToListAsync(cancellationToken);

    public Task<List<SearchTermVariant>> VariantsAsync(string[] words, CancellationToken cancellationToken) =>
        db.Database.SqlQueryRaw<SearchTermVariant>(
                """
                SELECT w.word AS "Word", t.term AS "Term"
                FROM unnest({0}::text[]) AS w(word)
                CROSS JOIN LATERAL (
                    SELECT s.term FROM registry.search_terms s
                    WHERE s.term OPERATOR(public.%) w.word AND public.levenshtein(s.term, w.word) <= 1 AND s.term <> w.word
                    ORDER BY s.term
                    LIMIT 8) AS t
                """, [words])
            .ToListAsync(cancellationToken);
}
