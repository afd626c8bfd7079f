using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// The words of <c>q</c>, folded as the documents are (case and diacritics away, in every script), as a
/// PostgreSQL text search query: every word must match; the last one also as a prefix; a word of
/// <see cref="TypoMinLength"/> letters or more also as any known word one edit away.
/// </summary>
public sealed class ProjectSearch
{
    public const int MaxLength = 200;
    public const int MaxWords = 12;
    public const int TypoMinLength = 5;
    public const int PrefixMinLength = 3;
    private const int MaxVariants = 8;

    private ProjectSearch(string canonical, string query, string titleQuery)
    {
        Canonical = canonical;
        Query = query;
        TitleQuery = titleQuery;
    }

    /// <summary>The folded words, for binding page tokens.</summary>
    public string Canonical { get; }

    /// <summary>The text search query (to_tsquery syntax, over words folded as <see cref="IProjectSearchTerms.TermsAsync"/> folds them).</summary>
    public string Query { get; }

    /// <summary>The same query matched against titles only (weight A): title matches rank first.</summary>
    public string TitleQuery { get; }

    public static async Task<ProjectSearch?> ParseAsync(string q, IProjectSearchTerms terms, List<FieldError> errors, CancellationToken cancellationToken)
    {
        if (q.Length > MaxLength)
        {
            errors.Add(FieldError.Query("q", $"q has at most {MaxLength} characters."));
            return null;
        }

        // The store splits and folds the text as it did the documents; hyphenated compounds are left to their parts,
        // so a half-typed compound still matches.
        var found = await terms.TermsAsync(q, TypoMinLength, MaxWords, cancellationToken);
        var words = found.Words;
        if (words.Count == 0)
        {
            errors.Add(FieldError.Query("q", "q holds no words to search for."));
            return null;
        }

        if (words.Count > MaxWords)
        {
            errors.Add(FieldError.Query("q", $"q has at most {MaxWords} words."));
            return null;
        }

        var byWord = found.Variants.Where(v => v.Word.Length >= TypoMinLength).GroupBy(v => v.Word, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(v => v.Term).Take(MaxVariants).ToList(), StringComparer.Ordinal);

        string Build(string weight) => string.Join(" & ", words.Select((word, index) =>
        {
            var prefix = index == words.Count - 1 && word.Length >= PrefixMinLength ? "*" : "";
            var alternatives = new List<string> { Lexeme(word) + Label(prefix + weight) };
            alternatives.AddRange((byWord.GetValueOrDefault(word) ?? []).Select(v => Lexeme(v) + Label(weight)));
            return "(" + string.Join(" | ", alternatives) + ")";
        }));

        return new ProjectSearch(string.Join(' ', words), Build(""), Build("A"));
    }

    private static string Label(string label) => label.Length == 0 ? "" : ":" + label;

    private static string Lexeme(string word) => "'" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
}
