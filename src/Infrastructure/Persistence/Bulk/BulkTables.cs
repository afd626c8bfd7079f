using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Infrastructure.Persistence.Json;

namespace RuralRegistry.Infrastructure.Persistence.Bulk;

/// <summary>A fingerprint row as the import writes it.</summary>
internal readonly record struct FingerprintRow(Guid ProjectId, long Version, long Mark, byte[] Fingerprint);

/// <summary>
/// Every table the registry writes by COPY, each column named by the EF model and written as EF Core maps it
/// (jsonb through <see cref="DocumentJson"/>, enums by name), so either path reads what the other wrote.
/// Built once per model.
/// </summary>
internal sealed class BulkTables
{
    private static readonly ConditionalWeakTable<IModel, BulkTables> Built = [];

    private BulkTables(IModel model)
    {
        Projects = ProjectsTarget(model);
        ProjectPartners = ProjectPartnersTarget(model);
        ProjectFundingMeasures = ProjectFundingMeasuresTarget(model);
        ProjectGoals = ProjectGoalsTarget(model);
        Changes = ChangesTarget(model);
        Fingerprints = FingerprintsTarget(model);
        ImportRecords = ImportRecordsTarget(model);
        Links =
        [
            (ProjectPartners, ModelColumns.Name<ProjectPartner>(model, nameof(ProjectPartner.ProjectId))),
            (ProjectFundingMeasures, ModelColumns.Name<ProjectFundingMeasure>(model, nameof(ProjectFundingMeasure.ProjectId))),
            (ProjectGoals, ModelColumns.Name<ProjectGoal>(model, nameof(ProjectGoal.ProjectId))),
        ];

        // Changed projects go through a temporary table, then one UPDATE ... FROM guarded by their stored versions.
        var id = ModelColumns.Of<Project>(model, nameof(Project.Id));
        var version = ModelColumns.Of<Project>(model, nameof(Project.Version));
        var replaced = new[] { nameof(Project.Content), nameof(Project.Languages), nameof(Project.Version), nameof(Project.Status), nameof(Project.UpdatedAt) }
            .Select(name => ModelColumns.Of<Project>(model, name)).ToList();
        const string storedVersion = "stored_version";
        ChangedProjects = new CopyTarget<(Project Project, long StoredVersion)>(
            "pg_temp",
            "import_changed",
            [id.Name, storedVersion, .. replaced.Select(c => c.Name)],
            [
                (copy, row) => copy.Write(row.Project.Id, NpgsqlDbType.Uuid),
                (copy, row) => copy.Write(row.StoredVersion, NpgsqlDbType.Bigint),
                (copy, row) => copy.Write(DocumentJson.SerializeToUtf8Bytes(row.Project.Content), NpgsqlDbType.Jsonb),
                (copy, row) => copy.Write(row.Project.Languages, NpgsqlDbType.Array | NpgsqlDbType.Text),
                (copy, row) => copy.Write(row.Project.Version, NpgsqlDbType.Bigint),
                (copy, row) => copy.Write(StatusText(row.Project.Status), NpgsqlDbType.Varchar),
                (copy, row) => copy.Write(row.Project.UpdatedAt, NpgsqlDbType.TimestampTz),
            ]);
        CreateChangedProjects =
            $"CREATE TEMP TABLE IF NOT EXISTS {ChangedProjects.Table} ({id.Name} {id.StoreType}, {storedVersion} {version.StoreType}, "
            + $"{string.Join(", ", replaced.Select(c => $"{c.Name} {c.StoreType}"))}) ON COMMIT DROP; TRUNCATE {ChangedProjects.Table}";
        UpdateFromChangedProjects =
            $"UPDATE {Projects.Schema}.{Projects.Table} p SET {string.Join(", ", replaced.Select(c => $"{c.Name} = c.{c.Name}"))}, "
            + $"{ModelColumns.Name<Project>(model, nameof(Project.DeletedAt))} = NULL FROM {ChangedProjects.Table} c "
            + $"WHERE p.{id.Name} = c.{id.Name} AND p.{version.Name} = c.{storedVersion}";
    }

    /// <summary>A status as ProjectConfiguration stores it.</summary>
    private static string StatusText(ProjectStatus status) => status.ToString().ToLowerInvariant();

    private static CopyTarget<Project> ProjectsTarget(IModel model) =>
        new CopyTarget<Project, Project>(model)
            .Column(p => p.Id, p => p.Id, NpgsqlDbType.Uuid)
            .Column(p => p.PublisherId, p => p.PublisherId, NpgsqlDbType.Uuid)
            .Column(p => p.ExternalId, p => p.ExternalId, NpgsqlDbType.Varchar)
            .Column(p => p.Content, p => DocumentJson.SerializeToUtf8Bytes(p.Content), NpgsqlDbType.Jsonb)
            .Column(p => p.Languages, p => p.Languages, NpgsqlDbType.Array | NpgsqlDbType.Text)
            .Column(p => p.Version, p => p.Version, NpgsqlDbType.Bigint)
            .Column(p => p.Status, p => StatusText(p.Status), NpgsqlDbType.Varchar)
            .Column(p => p.CreatedAt, p => p.CreatedAt, NpgsqlDbType.TimestampTz)
            .Column(p => p.UpdatedAt, p => p.UpdatedAt, NpgsqlDbType.TimestampTz)
            .Column(p => p.DeletedAt, p => p.DeletedAt, NpgsqlDbType.TimestampTz)
            .Build();

    private static CopyTarget<ProjectPartner> ProjectPartnersTarget(IModel model) =>
        new CopyTarget<ProjectPartner, ProjectPartner>(model)
            .Column(l => l.ProjectId, l => l.ProjectId, NpgsqlDbType.Uuid)
            .Column(l => l.PartnerId, l => l.PartnerId, NpgsqlDbType.Uuid)
            .Column(l => l.Role, l => l.Role?.ToString(), NpgsqlDbType.Varchar)
            .Column(l => l.BudgetShare, l => l.BudgetShare is null ? null : DocumentJson.SerializeToUtf8Bytes(l.BudgetShare), NpgsqlDbType.Jsonb)
            .Column(l => l.Position, l => l.Position, NpgsqlDbType.Integer)
            .Build();

    private static CopyTarget<ProjectFundingMeasure> ProjectFundingMeasuresTarget(IModel model) =>
        new CopyTarget<ProjectFundingMeasure, ProjectFundingMeasure>(model)
            .Column(l => l.ProjectId, l => l.ProjectId, NpgsqlDbType.Uuid)
            .Column(l => l.FundingMeasureId, l => l.FundingMeasureId, NpgsqlDbType.Uuid)
            .Column(l => l.Position, l => l.Position, NpgsqlDbType.Integer)
            .Build();

    private static CopyTarget<ProjectGoal> ProjectGoalsTarget(IModel model) =>
        new CopyTarget<ProjectGoal, ProjectGoal>(model)
            .Column(l => l.ProjectId, l => l.ProjectId, NpgsqlDbType.Uuid)
            .Column(l => l.GoalId, l => l.GoalId, NpgsqlDbType.Uuid)
            .Column(l => l.Relevance, l => l.Relevance?.ToString(), NpgsqlDbType.Varchar)
            .Column(l => l.Position, l => l.Position, NpgsqlDbType.Integer)
            .Build();

    private static CopyTarget<Change> ChangesTarget(IModel model) =>
        new CopyTarget<Change, Change>(model)
            .Column(c => c.Sequence, c => c.Sequence, NpgsqlDbType.Bigint)
            .Column(c => c.RecordType, c => c.RecordType.ToString(), NpgsqlDbType.Varchar)
            .Column(c => c.RecordId, c => c.RecordId, NpgsqlDbType.Uuid)
            .Column(c => c.Operation, c => c.Operation.ToString(), NpgsqlDbType.Varchar)
            .Column(c => c.PublisherId, c => c.PublisherId, NpgsqlDbType.Uuid)
            .Column(c => c.OccurredAt, c => c.OccurredAt, NpgsqlDbType.TimestampTz)
            .Build();

    private static CopyTarget<FingerprintRow> FingerprintsTarget(IModel model) =>
        new CopyTarget<ImportFingerprint, FingerprintRow>(model)
            .Column(f => f.ProjectId, f => f.ProjectId, NpgsqlDbType.Uuid)
            .Column(f => f.Version, f => f.Version, NpgsqlDbType.Bigint)
            .Column(f => f.Mark, f => f.Mark, NpgsqlDbType.Bigint)
            .Column(f => f.Fingerprint, f => f.Fingerprint, NpgsqlDbType.Bytea)
            .Build();

    private static CopyTarget<(Guid ImportId, ImportOutcome Outcome)> ImportRecordsTarget(IModel model) =>
        new CopyTarget<ImportRecord, (Guid ImportId, ImportOutcome Outcome)>(model)
            .Column(r => r.ImportId, r => r.ImportId, NpgsqlDbType.Uuid)
            .Column(r => r.Position, r => r.Outcome.Position, NpgsqlDbType.Integer)
            .Column(r => r.Index, r => r.Outcome.Record.Index, NpgsqlDbType.Integer)
            .Column(r => r.ExternalId, r => r.Outcome.Record.ExternalId, NpgsqlDbType.Varchar)
            .Column(r => r.ProjectId, r => r.Outcome.Record.Id, NpgsqlDbType.Uuid)
            .Column(r => r.Status, r => r.Outcome.Record.Status.ToString(), NpgsqlDbType.Varchar)
            .Column(
                r => r.Problem,
                r => r.Outcome.Record.Problem is null ? null : JsonSerializer.Serialize(r.Outcome.Record.Problem, ImportProjects.ProblemJson),
                NpgsqlDbType.Jsonb)
            .Build();

    public CopyTarget<Project> Projects { get; }

    /// <summary>The temporary table of a batch's changed projects, with the version each was read at.</summary>
    public CopyTarget<(Project Project, long StoredVersion)> ChangedProjects { get; }

    public string CreateChangedProjects { get; }

    /// <summary>Replaces the changed projects whose stored version still holds; the rows written tell how many did.</summary>
    public string UpdateFromChangedProjects { get; }

    public CopyTarget<ProjectPartner> ProjectPartners { get; }

    public CopyTarget<ProjectFundingMeasure> ProjectFundingMeasures { get; }

    public CopyTarget<ProjectGoal> ProjectGoals { get; }

    public CopyTarget<Change> Changes { get; }

    public CopyTarget<FingerprintRow> Fingerprints { get; }

    public CopyTarget<(Guid ImportId, ImportOutcome Outcome)> ImportRecords { get; }

    /// <summary>The tables of a project's links, each with its column naming the project.</summary>
    public IReadOnlyList<(ICopyTarget Table, string ProjectId)> Links { get; }

    /// <summary>Every table written by COPY, for the test that holds their columns against the database.</summary>
    public IReadOnlyList<ICopyTarget> All => [Projects, ProjectPartners, ProjectFundingMeasures, ProjectGoals, Changes, Fingerprints, ImportRecords];

    public static BulkTables For(IModel model) => Built.GetValue(model, m => new BulkTables(m));
}
