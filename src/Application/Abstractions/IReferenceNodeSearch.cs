namespace RuralRegistry.Application.Abstractions;

/// <summary>Reference nodes (funding measures, goals) whose scheme, code or name in some language holds every word, case and diacritics folded.</summary>
public interface IReferenceNodeSearch
{
    IQueryable<TNode> Matching<TNode>(IReadOnlyList<string> words)
        where TNode : class;
}
