using System.Net;
using System.Net.Sockets;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Faults;

/// <summary>
/// The restartable clusters of the fault and cluster tests, and the shared budgets' Redis, keep their port across a
/// restart (connection strings name it). While one is stopped, another socket may hold that port; its start again
/// waits for the port to be let go instead of failing the test that restarted it (or taking the other socket for it).
/// </summary>
public sealed class ClusterPortTests
{
    [Fact]
    public async Task A_cluster_whose_port_is_held_while_it_is_stopped_starts_again_once_the_port_is_let_go()
    {
        await using var cluster = await LocalPostgresCluster.StartAsync("registry_ports");
        await cluster.StopAsync();

        var holder = new TcpListener(IPAddress.Loopback, cluster.Port);
        holder.Start();
        var starting = cluster.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(starting.IsCompleted, "the server cannot have started while another socket listened on its port");
        holder.Stop();

        await starting;
        Assert.Equal(1, await cluster.ScalarAsync("SELECT 1"));
    }

    [Fact]
    public async Task A_redis_whose_port_is_held_while_it_is_stopped_starts_again_once_the_port_is_let_go()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.KillAsync();

        var holder = new TcpListener(IPAddress.Loopback, redis.Port);
        holder.Start();
        var starting = redis.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(starting.IsCompleted, "the server cannot have started while another socket listened on its port");
        holder.Stop();

        await starting;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, redis.Port);
        await client.GetStream().WriteAsync("PING\r\n"u8.ToArray());
        var answer = new byte[7];
        var read = await client.GetStream().ReadAsync(answer);
        Assert.Equal("+PONG\r\n", System.Text.Encoding.ASCII.GetString(answer, 0, read));
    }
}
