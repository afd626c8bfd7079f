using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

/// <summary>The status job runs by itself every day at 00:05 UTC on the registry's clock: a project whose end date passed is restamped.</summary>
public sealed class StatusScheduleTests(StatusScheduleApiFactory api) : IClassFixture<StatusScheduleApiFactory>
{
    [Fact]
    public async Task The_daily_run_restamps_a_project_whose_end_date_passed()
    {
        var publisher = await api.CreatePublisherAsync("schedule");
        var today = DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime);
        var body = RegistryClients.Project();
        body["startDate"] = today.AddYears(-1).ToString("yyyy-MM-dd");
        body["endDate"] = today.ToString("yyyy-MM-dd");
        var written = await (await publisher.Client.PutProjectAsync("ends-today", body)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("ongoing", written.GetProperty("status").GetString());
        var id = written.GetProperty("id").GetGuid();
        var client = api.CreateClient();

        // The clock moves an hour at a time (the schedule may still be in its start-up run when it first moves); the run
        // after the next 00:05 restamps the project, and no run before it.
        JsonElement project;
        var hours = 0;
        do
        {
            api.Clock.Advance(TimeSpan.FromHours(1));
            hours++;
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            project = await client.GetFromJsonAsync<JsonElement>($"/v1/projects/{id}");
            if (DateOnly.FromDateTime(api.Clock.GetUtcNow().UtcDateTime) == today)
            {
                Assert.Equal(written.GetProperty("version").GetInt64(), project.GetProperty("version").GetInt64());
            }
        }
        while (project.GetProperty("status").GetString() == "ongoing" && hours < 72);

        Assert.Equal("completed", project.GetProperty("status").GetString());
        Assert.True(project.GetProperty("version").GetInt64() > written.GetProperty("version").GetInt64());
        Assert.True(project.GetProperty("updatedAt").GetDateTimeOffset() >= new DateTimeOffset(today.AddDays(1).ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
    }
}
