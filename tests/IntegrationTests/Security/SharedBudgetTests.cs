using System.Net;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Security;

/// <summary>
/// Rate budgets kept in Redis (RateLimits:Redis): two API hosts take from one budget per caller; when Redis goes away,
/// each host budgets callers by itself (fail open to per-process budgets: no request is refused or failed for it), and
/// shares again once Redis is back.
/// </summary>
public sealed class SharedBudgetTests(SharedBudgetApis apis) : IClassFixture<SharedBudgetApis>
{
    private const int Budget = SharedBudgetApis.ReadsPerWindow;

    [Fact]
    public async Task Two_hosts_take_from_one_budget_per_caller()
    {
        var (first, second) = await KeyedClientsAsync("shared");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < Budget + 2; i++)
        {
            answers.Add(await (i % 2 == 0 ? first : second).GetAsync("/v1/publishers"));
        }

        Assert.All(answers.Take(Budget), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(
            Enumerable.Range(0, Budget).Select(i => (Budget - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            answers.Take(Budget).Select(r => r.Headers.GetValues("RateLimit-Remaining").Single()));
        // Both hosts refuse once the one budget is spent, though each served only half of it.
        Assert.All(answers.Skip(Budget), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.True(answers[^1].Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task Without_Redis_each_host_budgets_by_itself_and_shares_again_once_it_is_back()
    {
        var (first, second) = await KeyedClientsAsync("fallback");
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/v1/publishers")).StatusCode);
        await apis.Redis.KillAsync();
        try
        {
            // Fail open to per-process budgets: each host now grants the caller a whole budget of its own.
            var firstAnswers = await ReadAsync(first, Budget + 1);
            var secondAnswers = await ReadAsync(second, Budget + 1);
            Assert.All(firstAnswers.Take(Budget).Concat(secondAnswers.Take(Budget)), status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.Equal(HttpStatusCode.TooManyRequests, firstAnswers[^1]);
            Assert.Equal(HttpStatusCode.TooManyRequests, secondAnswers[^1]);
        }
        finally
        {
            await apis.Redis.StartAgainAsync();
        }

        // Redis is back (empty): the hosts reconnect and share one budget again.
        var (third, fourth) = await KeyedClientsAsync("back");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? remaining = null;
        while (DateTime.UtcNow < deadline)
        {
            var (probeA, probeB) = await KeyedClientsAsync("probe");
            var a = await probeA.GetAsync("/v1/publishers");
            var b = await probeB.GetAsync("/v1/publishers");
            remaining = b.Headers.GetValues("RateLimit-Remaining").Single();
            if (a.Headers.GetValues("RateLimit-Remaining").Single() == (Budget - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
                && remaining == (Budget - 2).ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal((Budget - 2).ToString(System.Globalization.CultureInfo.InvariantCulture), remaining);
        var shared = await ReadAsync(third, Budget / 2);
        shared.AddRange(await ReadAsync(fourth, Budget / 2 + 1));
        Assert.Equal(HttpStatusCode.TooManyRequests, shared[^1]);
    }

    private static async Task<List<HttpStatusCode>> ReadAsync(HttpClient client, int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            statuses.Add((await client.GetAsync("/v1/publishers")).StatusCode);
        }

        return statuses;
    }

    /// <summary>A new publisher's key, as a client of each host.</summary>
    private async Task<(HttpClient First, HttpClient Second)> KeyedClientsAsync(string prefix)
    {
        var publisher = await apis.First.CreatePublisherAsync(prefix);
        return (publisher.Client, apis.Second.CreateBearerClient(publisher.Secret));
    }
}
