namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>Tuning of the project list's key query, <see cref="ProjectListQuery"/> (configuration section <c>Lists</c>).</summary>
public sealed class ListSettings
{
    public const string Section = "Lists";

    /// <summary>How many matching rows a filtered page sorts itself before it walks the sort's index instead.</summary>
    public int BoundedMatches { get; set; } = 5_000;

    /// <summary>How many rows in a sort's order a filtered page reads first, hoping to fill itself from them.</summary>
    public int WalkedRows { get; set; } = 5_000;
}
