using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.Projects;

public enum PartnerRole
{
    Lead,
    Partner,
    Associated,
    Funder,
}

public enum GoalRelevance
{
    Primary,
    Secondary,
}

/// <summary>A project's record in the registry. Its natural key is (publisher, external id), which never changes.</summary>
public sealed class Project
{
    public const int ExternalIdMaxLength = 200;

    private readonly List<ProjectPartner> _partners = [];
    private readonly List<ProjectFundingMeasure> _fundingMeasures = [];
    private readonly List<ProjectGoal> _goals = [];

    private Project(Guid id, Guid publisherId, string externalId, ProjectContent content)
    {
        Id = id;
        PublisherId = publisherId;
        ExternalId = externalId;
        Content = content;
    }

    public Guid Id { get; private set; }

    public Guid PublisherId { get; private set; }

    public string ExternalId { get; private set; }

    public ProjectContent Content { get; private set; }

    /// <summary>The languages the record's title, summary and description are written in, for filters and flat exports.</summary>
    public string[] Languages { get; private set; } = [];

    public IReadOnlyList<ProjectPartner> Partners => _partners;

    public IReadOnlyList<ProjectFundingMeasure> FundingMeasures => _fundingMeasures;

    public IReadOnlyList<ProjectGoal> Goals => _goals;

    public long Version { get; private set; }

    /// <summary>
    /// The status its representation shows: <see cref="ProjectContent.StatusOn"/> on the day its version was stamped
    /// (UTC). A written fact, so the representation changes only with the version; a scheduled job restamps the
    /// projects whose status the passing days changed.
    /// </summary>
    public ProjectStatus Status { get; private set; } = ProjectStatus.Unknown;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? DeletedAt { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    public static Project Create(Guid publisherId, string externalId, ProjectContent content, ProjectLinks links, DateTimeOffset now)
    {
        if (!IsValidExternalId(externalId, out var error))
        {
            throw new DomainException(error!);
        }

        var project = new Project(Guid.CreateVersion7(now), publisherId, externalId, content)
        {
            CreatedAt = now,
            UpdatedAt = now,
            Languages = LanguagesOf(content),
        };
        project.ReplaceLinks(links);
        return project;
    }

    /// <summary>Takes the new content and links; false (and nothing changed) when they equal the current ones and the record is live.</summary>
    public bool Update(ProjectContent content, ProjectLinks links, DateTimeOffset now)
    {
        if (!IsDeleted && content == Content && links == CurrentLinks())
        {
            return false;
        }

        Content = content;
        Languages = LanguagesOf(content);
        ReplaceLinks(links);
        DeletedAt = null;
        UpdatedAt = now;
        return true;
    }

    public void Delete(DateTimeOffset now)
    {
        DeletedAt = now;
        UpdatedAt = now;
    }

    /// <summary>Every change takes the next number of the registry's one change sequence, and the status as of that day.</summary>
    public void Stamp(long version, DateOnly today)
    {
        Version = version;
        Status = Content.StatusOn(today);
    }

    public ProjectLinks CurrentLinks() => new(
        _partners.OrderBy(p => p.Position).Select(p => new Participation(p.PartnerId, p.Role, p.BudgetShare)).ToValueList(),
        _fundingMeasures.OrderBy(m => m.Position).Select(m => m.FundingMeasureId).ToValueList(),
        _goals.OrderBy(g => g.Position).Select(g => new GoalLink(g.GoalId, g.Relevance)).ToValueList());

    public static bool IsValidExternalId(string? externalId, out string? error)
    {
        if (string.IsNullOrEmpty(externalId) || externalId.Length > ExternalIdMaxLength
            || externalId.Trim().Length != externalId.Length || externalId.Any(char.IsControl))
        {
            error = $"An externalId has 1 to {ExternalIdMaxLength} characters, no control characters and no leading or trailing spaces.";
            return false;
        }

        error = null;
        return true;
    }

    private static string[] LanguagesOf(ProjectContent content)
    {
        var languages = new List<string>(4);
        foreach (var text in (ReadOnlySpan<LocalizedText?>)[content.Title, content.Summary, content.Description])
        {
            foreach (var (language, _) in text ?? Enumerable.Empty<KeyValuePair<string, string>>())
            {
                if (!languages.Contains(language))
                {
                    languages.Add(language);
                }
            }
        }

        languages.Sort(StringComparer.Ordinal);
        return [.. languages];
    }

    private void ReplaceLinks(ProjectLinks links)
    {
        Sync(_partners, links.Partners.Select((p, i) => (p, i)), x => x.p.PartnerId, e => e.PartnerId,
            x => new ProjectPartner(Id, x.p.PartnerId, x.p.Role, x.p.BudgetShare, x.i),
            (e, x) => e.Set(x.p.Role, x.p.BudgetShare, x.i));
        Sync(_fundingMeasures, links.FundingMeasures.Select((m, i) => (m, i)), x => x.m, e => e.FundingMeasureId,
            x => new ProjectFundingMeasure(Id, x.m, x.i),
            (e, x) => e.Set(x.i));
        Sync(_goals, links.Goals.Select((g, i) => (g, i)), x => x.g.GoalId, e => e.GoalId,
            x => new ProjectGoal(Id, x.g.GoalId, x.g.Relevance, x.i),
            (e, x) => e.Set(x.g.Relevance, x.i));
    }

    /// <summary>Brings a child collection to the wanted items by key, updating rows in place rather than replacing them.</summary>
    private static void Sync<TChild, TWanted>(
        List<TChild> children, IEnumerable<TWanted> wanted, Func<TWanted, Guid> wantedKey, Func<TChild, Guid> childKey,
        Func<TWanted, TChild> create, Action<TChild, TWanted> update)
    {
        if (children.Count == 0)
        {
            // A new project, or one without links yet: every wanted item is a new row. The keys are distinct: links
            // come from ProjectRules.Link, which refuses a partner, measure or goal named twice.
            children.AddRange(wanted.Select(create));
            return;
        }

        var byKey = wanted.ToDictionary(wantedKey);
        children.RemoveAll(c => !byKey.ContainsKey(childKey(c)));
        foreach (var (key, item) in byKey)
        {
            var existing = children.Find(c => childKey(c) == key);
            if (existing is null)
            {
                children.Add(create(item));
            }
            else
            {
                update(existing, item);
            }
        }
    }
}

/// <summary>A partner's part in a project; the role null when the page does not state it.</summary>
public sealed record Participation(Guid PartnerId, PartnerRole? Role, Money? BudgetShare);

/// <summary>A goal a project serves; the relevance null when the page does not rank it.</summary>
public sealed record GoalLink(Guid GoalId, GoalRelevance? Relevance);

/// <summary>What a project points at: its partners (each once), funding measures and goals, in the publisher's order.</summary>
public sealed record ProjectLinks(ValueList<Participation> Partners, ValueList<Guid> FundingMeasures, ValueList<GoalLink> Goals);

public sealed class ProjectPartner
{
    internal ProjectPartner(Guid projectId, Guid partnerId, PartnerRole? role, Money? budgetShare, int position)
    {
        ProjectId = projectId;
        PartnerId = partnerId;
        Role = role;
        BudgetShare = budgetShare;
        Position = position;
    }

    private ProjectPartner()
    {
    }

    public Guid ProjectId { get; private set; }

    public Guid PartnerId { get; private set; }

    public PartnerRole? Role { get; private set; }

    public Money? BudgetShare { get; private set; }

    public int Position { get; private set; }

    internal void Set(PartnerRole? role, Money? budgetShare, int position)
    {
        Role = role;
        BudgetShare = budgetShare;
        Position = position;
    }
}

public sealed class ProjectFundingMeasure
{
    internal ProjectFundingMeasure(Guid projectId, Guid fundingMeasureId, int position)
    {
        ProjectId = projectId;
        FundingMeasureId = fundingMeasureId;
        Position = position;
    }

    private ProjectFundingMeasure()
    {
    }

    public Guid ProjectId { get; private set; }

    public Guid FundingMeasureId { get; private set; }

    public int Position { get; private set; }

    internal void Set(int position) => Position = position;
}

public sealed class ProjectGoal
{
    internal ProjectGoal(Guid projectId, Guid goalId, GoalRelevance? relevance, int position)
    {
        ProjectId = projectId;
        GoalId = goalId;
        Relevance = relevance;
        Position = position;
    }

    private ProjectGoal()
    {
    }

    public Guid ProjectId { get; private set; }

    public Guid GoalId { get; private set; }

    public GoalRelevance? Relevance { get; private set; }

    public int Position { get; private set; }

    internal void Set(GoalRelevance? relevance, int position)
    {
        Relevance = relevance;
        Position = position;
    }
}
