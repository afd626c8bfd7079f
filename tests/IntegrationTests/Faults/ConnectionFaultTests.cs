using System.Diagnostics;
using System.Net;
using Npgsql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Faults;

/// <summary>
/// Requests that end early or find no connection: a client that goes away mid-statement, mid-write, and a pool with
/// no connection to give. Each ends in a clean answer or a clean cancellation (the statement cancelled in
/// PostgreSQL, nothing half-written), and no connection is left broken or inside a transaction.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class ConnectionFaultTests(FaultsApiFactory api) : IClassFixture<FaultsApiFactory>
{
    [Fact]
    public async Task A_read_whose_client_goes_away_mid_statement_is_cancelled_in_the_database_and_the_api_serves_on()
    {
        var publisher = await api.CreatePublisherAsync("cancel");
        var id = (await (await publisher.Client.PutProjectAsync("cancel-0", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        await using (await LockProjectsAsync())
        {
            using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.CreateClient().GetAsync($"/v1/projects/{id}", gone.Token));

            // The lock is still held: the statement is no longer waiting for it only if the API cancelled it.
            await WaitUntilAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", 0);
        }

        for (var i = 0; i < 5; i++)
        {
            await (await api.CreateClient().GetAsync($"/v1/projects/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        }

        Assert.Equal(0, await IdleInTransactionAsync());
    }

    [Fact]
    public async Task A_write_whose_client_goes_away_is_rolled_back_whole_and_the_record_can_be_written_after()
    {
        var publisher = await api.CreatePublisherAsync("gone");

        await using (await LockProjectsAsync())
        {
            using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                publisher.Client.PutAsync("/v1/projects/external/gone-0", RegistryClients.JsonBody(RegistryClients.Project()), gone.Token));
            await WaitUntilAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", 0);
        }

        Assert.Equal(0, await api.Cluster.ScalarAsync("SELECT count(*) FROM registry.projects WHERE external_id = 'gone-0'"));
        Assert.Equal(0, await api.Cluster.ScalarAsync("SELECT count(*) FROM registry.changes c LEFT JOIN registry.projects p ON p.id = c.record_id WHERE p.id IS NULL AND c.record_type = 'Project'"));
        await (await publisher.Client.PutProjectAsync("gone-0", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(0, await IdleInTransactionAsync());
    }

    [Fact]
    public async Task A_pool_exhausted_under_load_answers_503_with_retry_after_or_serves_never_500_and_recovers()
    {
        var publisher = await api.CreatePublisherAsync("pool");
        var id = (await (await publisher.Client.PutProjectAsync("pool-0", RegistryClients.Project())).AssertStatusAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        // Timeout is also the connect timeout: on a loaded machine the start-up's own first connection (the migrator's)
        // may take longer than the pool wait this test is about, so the start is tried again; the requests are not.
        RestartedApiFactory small;
        for (var attempt = 1; ; attempt++)
        {
            small = new RestartedApiFactory(api.Cluster.ConnectionString("Maximum Pool Size=2;Timeout=2"));
            try
            {
                await ((IAsyncLifetime)small).InitializeAsync();
                break;
            }
            catch (Exception) when (attempt < 3)
            {
                await small.DisposeAsync();
            }
        }

        await using var _ = small;
        var client = small.CreateClient();
        await (await client.GetAsync($"/v1/projects/{id}")).AssertStatusAsync(HttpStatusCode.OK);

        HttpResponseMessage[] answers;
        List<Task<HttpResponseMessage>> sent;
        await using (await LockProjectsAsync())
        {
            // Two requests take the pool's two connections and wait for the lock; the others find none.
            sent = Enumerable.Range(0, 12).Select(_ => client.GetAsync($"/v1/projects/{id}")).ToList();
            var watch = Stopwatch.StartNew();
            while (sent.Count(t => t.IsCompleted) < sent.Count - 2 && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }

            Assert.True(sent.Count(t => t.IsCompleted) >= sent.Count - 2, "requests waiting for a pooled connection got no answer");
        }

        answers = [.. await Task.WhenAll(sent)];

        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        foreach (var answer in refused)
        {
            await answer.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
        }

        for (var i = 0; i < 5; i++)
        {
            await (await client.GetAsync($"/v1/projects/{id}")).AssertStatusAsync(HttpStatusCode.OK);
        }

        Assert.Equal(0, await IdleInTransactionAsync());
    }

    /// <summary>Holds an exclusive lock on the projects table until disposed, so that the API's statements on it wait.</summary>
    private async Task<IAsyncDisposable> LockProjectsAsync()
    {
        var connection = new NpgsqlConnection(api.Cluster.ConnectionString("Pooling=false"));
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE registry.projects IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Lock(connection, transaction);
    }

    private Task<long> IdleInTransactionAsync() =>
        api.Cluster.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'");

    private async Task WaitUntilAsync(string sql, long expected)
    {
        var watch = Stopwatch.StartNew();
        long value;
        while ((value = await api.Cluster.ScalarAsync(sql)) != expected)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{sql} is {value}, not {expected}");
            await Task.Delay(100);
        }
    }

    private sealed class Lock(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
