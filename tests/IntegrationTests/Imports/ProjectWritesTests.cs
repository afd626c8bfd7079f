using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Imports;

/// <summary>The write unit of projects: what it stamps it refreshes, at the latest when the transaction commits.</summary>
public sealed class ProjectWritesTests(ImportsApiFactory api) : IClassFixture<ImportsApiFactory>
{
    [Fact]
    public async Task A_project_stamped_through_the_write_unit_has_its_search_rows_refreshed_at_commit_even_if_the_writer_never_asks()
    {
        var publisher = await api.CreatePublisherAsync("unit");
        var body = RegistryClients.Project();
        body["countries"] = new System.Text.Json.Nodes.JsonArray("PL");
        var written = await (await publisher.Client.PutProjectAsync("unit-1", body)).AssertStatusAsync(HttpStatusCode.Created);
        var id = written.GetProperty("id").GetGuid();
        Task<long> FacetAsync(string facet) => api.ScalarAsync($"SELECT count(*) FROM registry.project_search WHERE id = '{id}' AND facets @> ARRAY['{facet}']");
        Assert.Equal(1, await FacetAsync("c:PL"));

        // The stored content changes behind the registry's back: its search rows are stale now.
        await api.ScalarAsync($"UPDATE registry.projects SET content = jsonb_set(content, '{{countries}}', '[\"LV\"]') WHERE id = '{id}'");
        Assert.Equal(0, await FacetAsync("c:LV"));

        // A writer that stamps the project, saves through EF Core alone and commits: the unit refreshes in the commit.
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            var writes = scope.ServiceProvider.GetRequiredService<IProjectWrites>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var project = await db.Projects.SingleAsync(p => p.Id == id);
            await writes.StampAsync(project, ChangeOperation.Upsert, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        Assert.Equal((1, 0), (await FacetAsync("c:LV"), await FacetAsync("c:PL")));
    }

    [Fact]
    public async Task A_partner_s_projects_restamped_are_refreshed_when_the_transaction_commits()
    {
        var publisher = await api.CreatePublisherAsync("unit");
        var partner = new System.Text.Json.Nodes.JsonObject { ["name"] = new System.Text.Json.Nodes.JsonObject { ["pl"] = $"Gmina {Guid.NewGuid():N}" }, ["country"] = "PL", ["kind"] = "lag" };
        var written = await (await publisher.Client.PutProjectAsync("unit-2", RegistryClients.Project(partner))).AssertStatusAsync(HttpStatusCode.Created);
        var id = written.GetProperty("id").GetGuid();
        var partnerId = written.PartnerIds()[0];
        Task<long> FacetAsync(string facet) => api.ScalarAsync($"SELECT count(*) FROM registry.project_search WHERE id = '{id}' AND facets @> ARRAY['{facet}']");
        Assert.Equal(1, await FacetAsync("pc:PL"));

        await api.ScalarAsync($"UPDATE registry.partners SET country_key = 'LT' WHERE id = '{partnerId}'");
        await using (var scope = api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var restamped = await scope.ServiceProvider.GetRequiredService<IProjectWrites>()
                .RestampAsync(new ProjectRestamp.NamingPartner(partnerId), CancellationToken.None);
            Assert.Equal([id], restamped);
            await transaction.CommitAsync();
        }

        Assert.Equal((1, 0), (await FacetAsync("pc:LT"), await FacetAsync("pc:PL")));
        var version = written.GetProperty("version").GetInt64();
        Assert.True(await api.ScalarAsync($"SELECT version FROM registry.projects WHERE id = '{id}'") > version);
        Assert.Equal(1, await api.ScalarAsync($"SELECT count(*) FROM registry.changes c JOIN registry.projects p ON p.version = c.sequence WHERE p.id = '{id}' AND c.record_id = p.id"));
    }
}
