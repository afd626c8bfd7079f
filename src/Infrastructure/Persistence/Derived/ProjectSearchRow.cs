namespace RuralRegistry.Infrastructure.Persistence.Derived;

/// <summary>
/// A live project's row of <c>registry.project_search</c>: what lists, filters, sorts and statistics read, derived from
/// its content and links by <c>registry.refresh_project_search</c> (never written through EF). <see cref="Facets"/> holds
/// the prefixed values a filter matches (c: country, r: region with its NUTS parents, t: theme, l: language, p: partner,
/// pc: partner country, m: funding measure with its ancestors, g: goal with its ancestors).
/// </summary>
public sealed class ProjectSearchRow
{
    private ProjectSearchRow()
    {
    }

    public Guid Id { get; private set; }

    public Guid PublisherId { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The transaction that wrote the row (a stable walk hands out rows its snapshot saw).</summary>
    public long WrittenXid { get; private set; }

    public string TitleKey { get; private set; } = "";

    public string DeclaredStatus { get; private set; } = "";

    /// <summary>The project's stored status (<c>projects.status</c>), which the status filter and statistics read.</summary>
    public string Status { get; private set; } = "";

    public DateOnly? StartLo { get; private set; }

    public DateOnly? StartHi { get; private set; }

    public DateOnly? EndLo { get; private set; }

    public DateOnly? EndHi { get; private set; }

    public decimal? BudgetAmount { get; private set; }

    public string? BudgetCurrency { get; private set; }

    public string[] Countries { get; private set; } = [];

    public Guid[] MeasureIds { get; private set; } = [];

    public Guid[] GoalIds { get; private set; } = [];

    public string[] Facets { get; private set; } = [];
}
