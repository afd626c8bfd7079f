using NpgsqlTypes;

namespace RuralRegistry.Infrastructure.Persistence.Derived;

/// <summary>
/// A live project's weighted text search document in <c>registry.project_documents</c> (titles A; summaries, objectives
/// and activities B; descriptions and partner names C), kept by <c>registry.refresh_project_search</c>.
/// </summary>
public sealed class ProjectDocument
{
    private ProjectDocument()
    {
    }

    public Guid Id { get; private set; }

    public NpgsqlTsVector Document { get; private set; } = NpgsqlTsVector.Empty;
}
