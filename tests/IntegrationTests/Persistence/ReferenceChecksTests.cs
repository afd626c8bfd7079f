using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Persistence;

/// <summary>
/// The keys a project row names (its publisher, partners, funding measures and goals, and a change's publisher) are
/// checked per statement by triggers (Persistence/Sql: registry.check_references, registry.refuse_referenced_deletes)
/// instead of per-row foreign keys; these tests hold them to what the foreign keys did: SQLSTATE 23503 with the old constraint's name, whole statements
/// refused, and ON DELETE RESTRICT, also against a writer that has not committed yet.
/// </summary>
public sealed class ReferenceChecksTests(ImportsApiFactory api) : IClassFixture<ImportsApiFactory>
{
    private sealed record Named(Guid ProjectId, Guid PublisherId, Guid PartnerId, Guid MeasureId, Guid GoalId);

    public static TheoryData<string, string> Rows => new()
    {
        // {0}: a project id, {1}: a publisher id, {2}: an id named by the row (a missing one in the first statement).
        { "fk_projects_publishers_publisher_id", "INSERT INTO registry.projects (id, publisher_id, external_id, content, status, version, created_at, updated_at) VALUES (gen_random_uuid(), '{2}', 'ref-' || gen_random_uuid(), '{{}}', 'unknown', 1, now(), now()), (gen_random_uuid(), '{1}', 'ref-' || gen_random_uuid(), '{{}}', 'unknown', 1, now(), now())" },
        { "fk_changes_publishers_publisher_id", "INSERT INTO registry.changes (sequence, record_type, record_id, operation, publisher_id, occurred_at) VALUES (nextval('registry.change_seq'), 'Project', '{0}', 'Upsert', '{2}', now()), (nextval('registry.change_seq'), 'Project', '{0}', 'Upsert', '{1}', now())" },
        { "fk_project_partners_partners_partner_id", "INSERT INTO registry.project_partners (project_id, partner_id, role, position) VALUES ('{0}', '{2}', 'Partner', 7)" },
        { "fk_project_funding_measures_funding_measures_funding_measure_id", "INSERT INTO registry.project_funding_measures (project_id, funding_measure_id, position) VALUES ('{0}', '{2}', 7)" },
        { "fk_project_goals_goals_goal_id", "INSERT INTO registry.project_goals (project_id, goal_id, relevance, position) VALUES ('{0}', '{2}', 'Primary', 7)" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_statement_naming_a_key_that_does_not_exist_is_refused_whole(string constraint, string insert)
    {
        var named = await NamedAsync();
        await using var connection = await OpenAsync();
        const string rows = "SELECT (SELECT count(*) FROM registry.projects) + (SELECT count(*) FROM registry.changes) + (SELECT count(*) FROM registry.project_partners) "
            + "+ (SELECT count(*) FROM registry.project_funding_measures) + (SELECT count(*) FROM registry.project_goals)";
        var before = await api.ScalarAsync(rows);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, string.Format(insert, named.ProjectId, named.PublisherId, Guid.NewGuid())));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal(constraint, refused.ConstraintName);
        Assert.Equal(before, await api.ScalarAsync(rows));
    }

    [Fact]
    public async Task Rows_that_name_existing_keys_are_written()
    {
        var named = await NamedAsync();
        await using var connection = await OpenAsync();

        await ExecuteAsync(connection, $"INSERT INTO registry.project_partners (project_id, partner_id, role, position) VALUES ('{Guid.NewGuid()}', '{named.PartnerId}', 'Partner', 0)");
        await ExecuteAsync(connection, $"UPDATE registry.projects SET publisher_id = publisher_id WHERE id = '{named.ProjectId}'");

        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.project_partners WHERE partner_id = '{named.PartnerId}' AND position = 0 AND project_id <> '{named.ProjectId}'"));
    }

    [Fact]
    public async Task An_update_that_names_a_missing_key_is_refused()
    {
        var named = await NamedAsync();
        await using var connection = await OpenAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync(connection, $"UPDATE registry.project_goals SET goal_id = '{Guid.NewGuid()}' WHERE project_id = '{named.ProjectId}'"));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal("fk_project_goals_goals_goal_id", refused.ConstraintName);
    }

    [Fact]
    public async Task A_publisher_partner_measure_or_goal_that_a_row_names_cannot_be_deleted_nor_truncated()
    {
        var named = await NamedAsync();
        await using var connection = await OpenAsync();
        var deletes = new (string Sql, string Constraint)[]
        {
            ($"DELETE FROM registry.partners WHERE id = '{named.PartnerId}'", "fk_project_partners_partners_partner_id"),
            ($"DELETE FROM registry.funding_measures WHERE id = '{named.MeasureId}'", "fk_project_funding_measures_funding_measures_funding_measure_id"),
            ($"DELETE FROM registry.goals WHERE id = '{named.GoalId}'", "fk_project_goals_goals_goal_id"),
            ("TRUNCATE registry.goals CASCADE", "fk_project_goals_goals_goal_id"),
        };

        foreach (var (sql, constraint) in deletes)
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
            Assert.Equal(constraint, refused.ConstraintName);
        }

        // Its partner and api key go or stay by their own foreign keys; its changes and projects hold it by the triggers.
        var release = $"BEGIN; UPDATE registry.partners SET owner_publisher_id = NULL WHERE owner_publisher_id = '{named.PublisherId}'; "
            + $"DELETE FROM registry.api_keys WHERE publisher_id = '{named.PublisherId}'; ";
        foreach (var (changes, constraint) in new[] { ("", "fk_changes_publishers_publisher_id"), ($"DELETE FROM registry.changes WHERE publisher_id = '{named.PublisherId}'; ", "fk_projects_publishers_publisher_id") })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, release + changes + $"DELETE FROM registry.publishers WHERE id = '{named.PublisherId}'"));
            await ExecuteAsync(connection, "ROLLBACK");
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
            Assert.Equal(constraint, refused.ConstraintName);
        }

        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.partners WHERE id = '{named.PartnerId}'"));
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.goals WHERE id = '{named.GoalId}'"));
    }

    [Fact]
    public async Task A_key_no_row_names_can_be_deleted_in_read_committed_only()
    {
        var loose = await RegisterPartnerAsync();
        await using var connection = await OpenAsync();

        var repeatable = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection,
            $"BEGIN ISOLATION LEVEL REPEATABLE READ; DELETE FROM registry.partners WHERE id = '{loose}'"));
        await ExecuteAsync(connection, "ROLLBACK");
        Assert.Equal(PostgresErrorCodes.ObjectNotInPrerequisiteState, repeatable.SqlState);

        await ExecuteAsync(connection, $"DELETE FROM registry.partners WHERE id = '{loose}'");

        Assert.Equal(0, await api.ScalarAsync($"SELECT count(*) FROM registry.partners WHERE id = '{loose}'"));
    }

    [Fact]
    public async Task A_delete_waits_for_a_writer_that_named_the_key_and_is_refused_once_it_commits()
    {
        var partner = await RegisterPartnerAsync();
        await using var writer = await OpenAsync();
        await using var deleter = await OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await ExecuteAsync(writer, $"INSERT INTO registry.project_partners (project_id, partner_id, role, position) VALUES ('{Guid.NewGuid()}', '{partner}', 'Partner', 0)");

        var delete = ExecuteAsync(deleter, $"DELETE FROM registry.partners WHERE id = '{partner}'");
        await Task.Delay(500);
        Assert.False(delete.IsCompleted, "The delete did not wait for the writer that named the partner.");
        await transaction.CommitAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => delete);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.partners WHERE id = '{partner}'"));
    }

    /// <summary>A project written through the API, naming a partner, a funding measure and a goal (both without children); the ids it names.</summary>
    private async Task<Named> NamedAsync()
    {
        var publisher = await api.CreatePublisherAsync("ref");
        var body = RegistryClients.Project(new JsonObject { ["name"] = new JsonObject { ["pl"] = $"Gmina {Guid.NewGuid():N}" }, ["country"] = "PL", ["kind"] = "lag" });
        body["fundingMeasures"] = new JsonArray(new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "M07" });
        body["goals"] = new JsonArray(new JsonObject { ["goal"] = new JsonObject { ["scheme"] = "eu-rdp-2014-2020", ["code"] = "6B" }, ["relevance"] = "primary" });
        var project = await (await publisher.Client.PutProjectAsync($"ref-{Guid.NewGuid():N}", body)).AssertStatusAsync(HttpStatusCode.Created);
        var projectId = project.GetProperty("id").GetGuid();
        await using var connection = await OpenAsync();
        return new Named(
            projectId,
            await GuidAsync(connection, $"SELECT publisher_id FROM registry.projects WHERE id = '{projectId}'"),
            project.PartnerIds().Single(),
            await GuidAsync(connection, $"SELECT funding_measure_id FROM registry.project_funding_measures WHERE project_id = '{projectId}'"),
            await GuidAsync(connection, $"SELECT goal_id FROM registry.project_goals WHERE project_id = '{projectId}'"));
    }

    /// <summary>A partner no project names (registered through a project that then names another one).</summary>
    private async Task<Guid> RegisterPartnerAsync()
    {
        var publisher = await api.CreatePublisherAsync("ref");
        var externalId = $"ref-{Guid.NewGuid():N}";
        JsonObject Partner() => new() { ["name"] = new JsonObject { ["pl"] = $"Gmina {Guid.NewGuid():N}" }, ["country"] = "PL", ["kind"] = "lag" };
        var first = await (await publisher.Client.PutProjectAsync(externalId, RegistryClients.Project(Partner()))).AssertStatusAsync(HttpStatusCode.Created);
        await (await publisher.Client.PutProjectAsync(externalId, RegistryClients.Project(Partner()))).AssertStatusAsync(HttpStatusCode.OK);
        return first.PartnerIds().Single();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<Guid> GuidAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}
