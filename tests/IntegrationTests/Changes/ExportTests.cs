using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Changes;

public sealed class ExportTests(DemoRegistryApiFactory api) : IClassFixture<DemoRegistryApiFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("?publisher=lv-lad")]
    [InlineData("?publisher=pl-ksow")]
    public async Task The_ndjson_export_holds_exactly_what_the_list_returns_for_the_same_filters(string filters)
    {
        var response = await api.CreateClient().GetAsync($"/v1/exports/projects.ndjson{filters}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.True(long.Parse(response.Headers.GetValues("Registry-Change-Cursor").Single(), CultureInfo.InvariantCulture) > 0);
        var exported = Lines(await response.Content.ReadAsStringAsync()).ToDictionary(p => p["id"]!.GetValue<string>(), p => p.ToJsonString());
        var listed = (await ListAsync(filters)).ToDictionary(p => p["id"]!.GetValue<string>(), p => p.ToJsonString());
        Assert.NotEmpty(exported);
        Assert.Equal(listed.Keys.Order(), exported.Keys.Order());
        Assert.All(listed, p => Assert.Equal(p.Value, exported[p.Key]));
    }

    [Fact]
    public async Task The_export_is_gzipped_when_the_client_accepts_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/exports/projects.ndjson");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        var response = await api.CreateClient().SendAsync(request);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal(5, Lines(await reader.ReadToEndAsync()).Count);
    }

    [Fact]
    public async Task The_csv_export_parses_back_into_the_same_values()
    {
        var response = await api.CreateClient().GetAsync("/v1/exports/projects.csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("rel=\"describedby\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        using var csv = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3)), CultureInfo.InvariantCulture);
        var rows = csv.GetRecords<dynamic>().Cast<IDictionary<string, object>>().ToDictionary(r => (string)r["id"]);
        var listed = await ListAsync(string.Empty);
        Assert.Equal(listed.Count, rows.Count);
        foreach (var project in listed)
        {
            var row = rows[project["id"]!.GetValue<string>()];
            Assert.Equal(project["externalId"]!.GetValue<string>(), row["externalId"]);
            Assert.Equal(project["publisher"]!.GetValue<string>(), row["publisher"]);
            foreach (var (language, title) in project["title"]!.AsObject())
            {
                Assert.Equal(title!.GetValue<string>(), row[$"title_{language}"]);
            }

            Assert.Equal(string.Join("; ", project["countries"]!.AsArray().Select(c => c!.GetValue<string>())), row["countries"]);
            Assert.Equal(string.Join("; ", project["fundingMeasures"]!.AsArray().Select(m => $"{m!["scheme"]}:{m["code"]}")), row["fundingMeasures"]);
            Assert.Equal(project["version"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), row["version"]);
            Assert.Equal(project["budget"]?["total"]?["amount"]?.GetValue<string>() ?? string.Empty, row["budgetAmount"]);
            Assert.Equal(project["partners"]!.AsArray().Count, ((string)row["partnerIds"]).Split("; ", StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }

    [Fact]
    public async Task The_csv_columns_are_described()
    {
        var columns = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/exports/projects.columns.json");

        var names = columns.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Contains("title_{language}", names);
        Assert.Contains("budgetAmount", names);
        Assert.All(columns.GetProperty("columns").EnumerateArray(), c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("description").GetString())));
    }

    [Fact]
    public async Task The_partner_export_holds_every_live_partner()
    {
        var response = await api.CreateClient().GetAsync("/v1/exports/partners.ndjson");

        var exported = Lines(await response.Content.ReadAsStringAsync());
        var listed = await api.CreateClient().GetFromJsonAsync<JsonElement>("/v1/partners?pageSize=500");
        Assert.Equal(listed.GetProperty("items").GetArrayLength(), exported.Count);
        Assert.True(response.Headers.Contains("Registry-Change-Cursor"));
    }

    [Theory]
    [InlineData("projects.ndjson?publisher=nobody")]
    [InlineData("projects.csv?sort=title")]
    [InlineData("projects.ndjson?partner=not-a-guid")]
    public async Task Bad_export_filters_are_400_problems(string path)
    {
        var response = await api.CreateClient().GetAsync($"/v1/exports/{path}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<List<JsonNode>> ListAsync(string filters)
    {
        var items = new List<JsonNode>();
        string? next = $"/v1/projects{(filters.Length == 0 ? "?" : filters + "&")}pageSize=500";
        while (next is not null)
        {
            var page = JsonNode.Parse(await api.CreateClient().GetStringAsync(next))!;
            items.AddRange(page["items"]!.AsArray().Select(p => p!.DeepClone()));
            next = page["next"]?.GetValue<string>();
        }

        return items;
    }

    private static List<JsonNode> Lines(string ndjson) =>
        [.. ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!)];
}
