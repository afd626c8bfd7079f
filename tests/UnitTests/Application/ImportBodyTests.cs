using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.UnitTests.Application;

public sealed class ImportBodyTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    [Fact]
    public async Task Ndjson_records_are_its_non_blank_lines_with_or_without_a_final_line_end()
    {
        var body = "{\"externalId\": \"a\"}\r\n\n   \n{\"externalId\": \"b\"}\n{\"externalId\": \"c\"}";

        var records = await ReadAsync(body, ImportFormat.Ndjson);

        Assert.Equal([0, 1, 2], records.Select(r => r.Index));
        Assert.Equal(["a", "b", "c"], records.Select(r => ImportBody.Peek(r.Bytes).ExternalId));
        Assert.Equal((3, (string?)null), await ImportBody.CountAsync(Stream(body), ImportFormat.Ndjson, CancellationToken.None));
    }

    [Fact]
    public async Task Array_records_are_its_elements_read_one_at_a_time_across_buffer_boundaries()
    {
        var long1 = new string('ż', 70_000);
        var body = $"[ {{\"externalId\": \"a\", \"title\": {{\"pl\": \"{long1}\"}}}}, {{\"externalId\": \"b\", \"countries\": [\"PL\"]}} ]";

        var records = await ReadAsync(body, ImportFormat.JsonArray);

        Assert.Equal(["a", "b"], records.Select(r => ImportBody.Peek(r.Bytes).ExternalId));
        Assert.Equal((2, (string?)null), await ImportBody.CountAsync(Stream(body), ImportFormat.JsonArray, CancellationToken.None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"externalId\": \"a\"}")]
    [InlineData("[{\"externalId\": \"a\"}")]
    [InlineData("[{\"externalId\": \"a\"}] trailing")]
    public async Task A_json_body_that_is_not_one_well_formed_array_is_refused_as_a_whole(string body)
    {
        var (_, error) = await ImportBody.CountAsync(Stream(body), ImportFormat.JsonArray, CancellationToken.None);

        Assert.NotNull(error);
    }

    [Fact]
    public void A_record_that_is_no_project_request_fails_alone_with_a_pointer_inside_it()
    {
        var (request, errors) = ImportBody.Parse(Encoding.UTF8.GetBytes("{\"externalId\": \"x\", \"colour\": 1}"), Options, e => FieldError.Body(e.Path ?? "?", e.Message));

        Assert.Null(request);
        Assert.Contains("colour", Assert.Single(errors!).Pointer);

        var (nothing, nullErrors) = ImportBody.Parse(Encoding.UTF8.GetBytes("null"), Options, e => FieldError.Body("?", e.Message));
        Assert.Null(nothing);
        Assert.Single(nullErrors!);

        var (good, none) = ImportBody.Parse(Encoding.UTF8.GetBytes("{\"externalId\": \"x\", \"title\": {\"pl\": \"Tytuł\"}}"), Options, e => FieldError.Body("?", e.Message));
        Assert.Null(none);
        Assert.Equal("x", good!.ExternalId);
    }

    [Theory]
    [InlineData("{\"title\": {\"externalId\": \"inner\"}, \"publisher\": \"pl-ksow\", \"externalId\": \"outer\"}", "outer", "pl-ksow")]
    [InlineData("{\"externalId\": 5}", null, null)]
    [InlineData("[1, 2]", null, null)]
    [InlineData("{\"externalId\": \"a\"", null, null)]
    public void Peek_reads_only_the_records_own_external_id_and_publisher(string json, string? externalId, string? publisher)
    {
        var peeked = ImportBody.Peek(Encoding.UTF8.GetBytes(json));

        Assert.Equal(externalId, peeked.ExternalId);
        Assert.Equal(publisher, peeked.Publisher);
    }

    [Fact]
    public void Counts_add_each_outcome_and_deleted_records_are_not_processed_records()
    {
        var counts = ImportCounts.None
            .Add(ImportRecordStatus.Created).Add(ImportRecordStatus.Unchanged).Add(ImportRecordStatus.Failed).Add(ImportRecordStatus.Deleted);

        Assert.Equal(new ImportCounts(3, 1, 0, 1, 1, 1), counts);
    }

    private static MemoryStream Stream(string body) => new(Encoding.UTF8.GetBytes(body));

    private static async Task<List<RawRecord>> ReadAsync(string body, ImportFormat format)
    {
        var records = new List<RawRecord>();
        await foreach (var record in ImportBody.ReadAsync(Stream(body), format, CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }
}
