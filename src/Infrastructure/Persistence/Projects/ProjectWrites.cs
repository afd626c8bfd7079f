using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Infrastructure.Persistence.Bulk;

namespace RuralRegistry.Infrastructure.Persistence.Projects;

/// <summary>
/// The unit of work's one place for project writes (see <see cref="IProjectWrites"/>): change numbers through
/// <see cref="IChangeLog"/>, bulk rows by binary COPY on the unit's own connection (and so in its open
/// transaction), and the projects to refresh kept on the context until <see cref="SaveAsync"/> or the commit
/// (<see cref="RefreshOnCommit"/>).
/// </summary>
internal sealed class ProjectWrites(RegistryDbContext db, IChangeLog changes, TimeProvider clock) : IProjectWrites
{
    private readonly BulkTables _tables = BulkTables.For(db.Model);

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    /// <summary>The write unit's day (UTC): statuses are stamped as of it.</summary>
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task StampAsync(Project project, ChangeOperation operation, CancellationToken cancellationToken)
    {
        project.Stamp(await changes.RecordAsync(RecordType.Project, project.Id, operation, project.PublisherId, cancellationToken), Today);
        db.PendingRefreshes.ReadBack(project.Id);
    }

    public async Task StampAllAsync(IReadOnlyList<Project> projects, ChangeOperation operation, CancellationToken cancellationToken)
    {
        if (projects.Count == 0)
        {
            return;
        }

        var numbers = await changes.TakeNumbersAsync(projects.Count, cancellationToken);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var entries = new List<Change>(projects.Count);
        for (var i = 0; i < projects.Count; i++)
        {
            projects[i].Stamp(numbers[i], today);
            entries.Add(new Change(numbers[i], RecordType.Project, projects[i].Id, operation, projects[i].PublisherId, now));
            db.PendingRefreshes.ReadBack(projects[i].Id);
        }

        await _tables.Changes.WriteAsync(Connection, entries, cancellationToken);
    }

    public async Task WriteBulkAsync(IReadOnlyList<BulkProjectWrite> projects, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        if (projects.Count == 0)
        {
            return;
        }

        await StampAllAsync([.. projects.Select(p => p.Project)], ChangeOperation.Upsert, cancellationToken);
        try
        {
            List<Project> created = [.. projects.Where(p => p.StoredVersion is null).Select(p => p.Project)];
            await _tables.Projects.WriteAsync(Connection, created, cancellationToken);
            await UpdateAsync([.. projects.Where(p => p.StoredVersion is not null).Select(p => (p.Project, p.StoredVersion!.Value))], cancellationToken);
            var all = projects.Select(p => p.Project).ToList();
            await _tables.ProjectPartners.WriteAsync(Connection, [.. all.SelectMany(p => p.Partners)], cancellationToken);
            await _tables.ProjectFundingMeasures.WriteAsync(Connection, [.. all.SelectMany(p => p.FundingMeasures)], cancellationToken);
            await _tables.ProjectGoals.WriteAsync(Connection, [.. all.SelectMany(p => p.Goals)], cancellationToken);
            foreach (var project in all)
            {
                // Written as they are in hand: the refresh renders them from these objects, not read back.
                db.PendingRefreshes.Written[project.Id] = project;
            }

            // New ids: their project rows were just copied in, so no representation of theirs is stored.
            db.PendingRefreshes.Created.UnionWith(created.Select(p => p.Id));
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DbUpdateException("Another write created one of the batch's projects meanwhile.", exception);
        }
    }

    /// <summary>Replaces the changed projects where their stored versions hold, and drops their links (written again after).</summary>
    private async Task UpdateAsync(IReadOnlyList<(Project Project, long StoredVersion)> updated, CancellationToken cancellationToken)
    {
        if (updated.Count == 0)
        {
            return;
        }

        await ExecuteAsync(_tables.CreateChangedProjects, cancellationToken);
        await _tables.ChangedProjects.WriteAsync(Connection, updated, cancellationToken);
        var written = await ExecuteAsync(_tables.UpdateFromChangedProjects, cancellationToken);
        if (written != updated.Count)
        {
            throw new DbUpdateConcurrencyException($"{updated.Count - written} of the batch's projects changed while it was written.");
        }

        var ids = updated.Select(u => u.Project.Id).ToArray();
        foreach (var (links, projectId) in _tables.Links)
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {links.Schema}.{links.Table} WHERE {projectId} = ANY($1)", Connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<IReadOnlyList<Guid>> RestampAsync(ProjectRestamp scope, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A restamp runs inside the transaction of the change that caused it.");
        }

        // Flush what EF Core tracks first (the renamed partner, the moved node), so the refresh queued below reads it.
        await db.SaveChangesAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var locked = await ProjectRestampSql.LockAsync(Connection, scope, today, cancellationToken);
        var restamped = locked.Length == 0
            ? []
            : await ProjectRestampSql.StampAsync(Connection, locked, onlyOutdated: scope is ProjectRestamp.StatusOutdated, today, now, cancellationToken);
        foreach (var id in restamped)
        {
            db.PendingRefreshes.ReadBack(id);
        }

        return restamped;
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        await ProjectSearchIndex.FlushAsync(db, cancellationToken);
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
