namespace RuralRegistry.Infrastructure.Persistence.Derived;

/// <summary>
/// A word of the documents in <c>registry.search_terms</c>, the dictionary that one-typo search looks words up in by
/// trigram (added by <c>registry.refresh_project_search</c>; numbers and short words are left out).
/// </summary>
public sealed class SearchTerm
{
    private SearchTerm()
    {
    }

    public string Term { get; private set; } = "";
}
