using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RuralRegistry.Application.Imports;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Infrastructure.Persistence.Bulk;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Imports;

/// <summary>The import pipeline's bulk path and its instruments, against the migrated database.</summary>
public sealed class ImportPipelineTests(ImportsApiFactory api) : IClassFixture<ImportsApiFactory>
{
    [Fact]
    public async Task Each_COPY_target_names_exactly_the_columns_of_its_table_in_the_database()
    {
        using var client = api.CreateClient(); // starts the host, which migrates the database
        using var scope = api.Services.CreateScope();
        var tables = BulkTables.For(scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Model);

        Assert.Equal(7, tables.All.Count);
        foreach (var target in tables.All)
        {
            var columns = await ColumnsAsync(target.Schema, target.Table);
            Assert.True(columns.Count > 0, $"{target.Schema}.{target.Table} is not a table of the database");
            Assert.Equal(columns.Order(StringComparer.Ordinal), target.Columns.Order(StringComparer.Ordinal));
        }

        // The changed projects' temporary table replaces columns of projects, named and typed as the model maps them.
        var projects = await ColumnsAsync(tables.Projects.Schema, tables.Projects.Table);
        Assert.All(tables.ChangedProjects.Columns.Where(c => c != "stored_version"), c => Assert.Contains(c, projects));
    }

    [Fact]
    public async Task An_import_reports_every_phase_as_a_span_of_the_import_and_as_a_duration_measured()
    {
        var measured = new ConcurrentBag<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ImportTelemetry.Name && instrument.Name == ImportTelemetry.PhaseDurationName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ImportTelemetry.PhaseTag && seconds >= 0)
                {
                    measured.Add((string)tag.Value!);
                }
            }
        });
        meters.Start();
        var spans = new ConcurrentBag<Activity>();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ImportTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(activities);

        var publisher = await api.CreatePublisherAsync("tel");
        var body = string.Join('\n', Enumerable.Range(0, 5).Select(i => Record($"tel-{i}", $"Projekt {i}").ToJsonString()));
        var report = await (await publisher.Client.SendAsync(HttpMethod.Post, "/v1/imports/projects", new StringContent(body, Encoding.UTF8, ImportsTests.Ndjson)))
            .AssertStatusAsync(HttpStatusCode.OK);
        var importId = report.GetProperty("import").GetProperty("id").GetString();

        var import = Assert.Single(spans, s => s.OperationName == ImportTelemetry.ImportActivity && (string?)s.GetTagItem(ImportTelemetry.ImportIdTag) == importId);
        Assert.Equal(5, import.GetTagItem(ImportTelemetry.RecordsTag));
        var mine = spans.Where(s => s.TraceId == import.TraceId && Within(s, import)).ToList();
        Assert.Equal(3, mine.Count(s => s.OperationName == ImportTelemetry.BatchActivity)); // 5 records, batches of 2
        var phases = mine.Where(s => s.OperationName == ImportTelemetry.PhaseActivity).Select(s => (string)s.GetTagItem(ImportTelemetry.PhaseTag)!).ToHashSet();
        Assert.Equal(Enum.GetNames<ImportPhase>().Order(), phases.Order());
        Assert.Equal(Enum.GetNames<ImportPhase>().Order(), measured.Distinct().Order());
    }

    private static bool Within(Activity span, Activity import)
    {
        for (var parent = span.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent == import)
            {
                return true;
            }
        }

        return false;
    }

    private async Task<List<string>> ColumnsAsync(string schema, string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static JsonObject Record(string externalId, string title)
    {
        var record = RegistryClients.Project();
        record["externalId"] = externalId;
        record["title"] = new JsonObject { ["pl"] = title };
        record["countries"] = new JsonArray("PL");
        return record;
    }
}
