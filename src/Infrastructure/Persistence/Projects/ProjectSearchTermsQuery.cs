using Npgsql;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The search's SQL: words split and folded by the registry.folded configuration, and near words from
/// registry.search_terms, in one prepared statement on the request's read route (no EF context).
/// </summary>
internal sealed class ProjectSearchTermsQuery(ReadRoute route) : IProjectSearchTerms
{
    // The words in order of first appearance (each once); near words only for words long enough, and none at all when
    // there are more words than a search takes (the caller refuses it): those conditions are one-time filters.
    private const string Terms =
        """
        WITH w AS MATERIALIZED (
            SELECT t.lexemes[1] AS word, min(t.n) AS n
            FROM ts_debug('registry.folded', $1) WITH ORDINALITY AS t(alias, description, token, dictionaries, dictionary, lexemes, n)
            WHERE t.alias NOT IN ('asciihword', 'hword', 'numhword') AND cardinality(t.lexemes) > 0
            GROUP BY t.lexemes[1])
        SELECT w.word, v.term
        FROM w
        LEFT JOIN LATERAL (
            SELECT s.term FROM registry.search_terms s
            WHERE char_length(w.word) >= $2 AND (SELECT count(*) FROM w) <= $3
              AND s.term OPERATOR(public.%) w.word AND public.levenshtein(s.term, w.word) <= 1 AND s.term <> w.word
            ORDER BY s.term
            LIMIT 8) AS v ON true
        ORDER BY w.n, v.term
        """;

    public async Task<SearchTerms> TermsAsync(string q, int typoMinLength, int maxWords, CancellationToken cancellationToken)
    {
        await using var connection = await route.DataSource.OpenConnectionAsync(cancellationToken);
        route.Note(connection);
        await using var command = new NpgsqlCommand(Terms, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = q });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = typoMinLength });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = maxWords });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var words = new List<string>();
        var variants = new List<SearchTermVariant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var word = reader.GetString(0);
            if (words.Count == 0 || words[^1] != word)
            {
                words.Add(word);
            }

            if (!reader.IsDBNull(1))
            {
                variants.Add(new SearchTermVariant(word, reader.GetString(1)));
            }
        }

        return new SearchTerms(words, variants);
    }
}
