using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Replicas;

/// <summary>
/// The takeover in the replicas' own topology (a primary, a pg_basebackup standby, Redis and two API processes that
/// read from the standby): an async import of 20,000 records sent to A, its runner killed with SIGKILL part-way, is
/// finished by the other process, and the publisher's records read back through the standby equal the file, each whole,
/// with no duplicate and no gap in the feed. (A topology of its own: the kill would break the other scenarios' processes.)
/// </summary>
public sealed class StandbyTakeoverTests(ReplicaTopology topology) : IClassFixture<ReplicaTopology>
{
    [Fact]
    public async Task An_import_sent_to_A_whose_runner_is_killed_part_way_is_finished_by_the_other_and_reads_back_whole_from_the_standby()
    {
        var (a, b) = (topology.A, topology.B);
        using var adminOfA = a.CreateClient(ReplicaTopology.AdminKey);
        using var adminOfB = b.CreateClient(ReplicaTopology.AdminKey);
        var publisher = await ImportScenario.CreatePublisherAsync(adminOfA, "standby-kill");
        var records = ImportScenario.Records("standby-kill", 20_000);

        using var publisherOfA = a.CreateClient(publisher.Secret);
        var id = await ImportScenario.SendAsyncImportAsync(publisherOfA, records);
        // A is told at once and nearly always claims it; B polls and may win the claim: the runner is the one killed.
        var claimed = await ImportScenario.WaitForAsync(adminOfB, id, i => i.GetProperty("lease").ValueKind == JsonValueKind.Object);
        var runnerIsA = claimed.GetProperty("lease").GetProperty("owner").GetString()!.Contains($"/{a.Id}/", StringComparison.Ordinal);
        var (runner, other, otherAdmin) = runnerIsA ? (a, b, adminOfB) : (b, a, adminOfA);
        var processed = await ImportScenario.WaitForAsync(otherAdmin, id, i => i.GetProperty("counts").GetProperty("processed").GetInt32() >= 1_000, output: () => runner.Output);
        await runner.KillAsync();
        Assert.True(processed.GetProperty("state").GetString() == "running" && processed.GetProperty("counts").GetProperty("processed").GetInt32() < records.Count,
            $"the import must be part-way when its runner is killed: {processed}");

        var watch = Stopwatch.StartNew();
        var ended = await ImportScenario.WaitForAsync(otherAdmin, id, i => i.GetProperty("state").GetString() is "completed" or "failed", TimeSpan.FromSeconds(180), () => other.Output);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(ReplicaTopology.LeaseSeconds - 1), $"taken over after {watch.Elapsed}, before the lease could lapse");
        Assert.Contains($"/{other.Id}/", await topology.Cluster.TextAsync($"SELECT lease_owner FROM registry.imports WHERE id = '{id}'"));
        Assert.Contains("is taken over", other.Output, StringComparison.Ordinal);

        // Read back through the survivor: the records anonymously, from the standby once its replay has reached the
        // primary's position (the replica lag a portal may see), the report and the feed from the primary.
        await WaitForStandbyReplayAsync();
        using var publisherOfOther = other.CreateClient(publisher.Secret);
        using var anonymous = other.CreateClient();
        using (var page = await anonymous.GetAsync($"/v1/projects?publisher={publisher.Code}&pageSize=1"))
        {
            Assert.Equal("standby", page.Headers.GetValues("Registry-Read-From").Single());
        }

        await ImportScenario.AssertTakenOverAndWholeAsync(ended, id, records, publisher.Code, publisherOfOther, anonymous);
    }

    private async Task WaitForStandbyReplayAsync()
    {
        var primary = await topology.Cluster.TextAsync("SELECT pg_current_wal_lsn()::text");
        await using var standby = new NpgsqlConnection(topology.Cluster.StandbyConnectionString("Pooling=false"));
        await standby.OpenAsync();
        for (var watch = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            await using var command = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", standby) { Parameters = { new() { Value = primary } } };
            if (await command.ExecuteScalarAsync() is true)
            {
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the standby did not replay up to {primary} within 30 s");
        }
    }
}
