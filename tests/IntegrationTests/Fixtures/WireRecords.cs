using System.Net;
using System.Text.Json;

namespace RuralRegistry.IntegrationTests.Fixtures;

// Responses read into typed records, where a test checks many members of one. Each record is the tests' own
// statement of the wire shape (never the server's DTOs), read with the contract's rules: a member that is not
// nullable here must be present and not null, so a renamed, dropped or retyped member fails the test that reads it.

public sealed record IdentifierWire(string Scheme, string Value);

public sealed record PartnerWire(
    Guid Id,
    Dictionary<string, string> Name,
    string? Acronym,
    string Kind,
    string? Country,
    string? Region,
    string? Website,
    string? Email,
    List<IdentifierWire> Identifiers,
    string? Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

public sealed record NodeSummaryWire(Guid Id, string Scheme, string Code);

/// <summary>A funding measure or a goal (a goal has no fund, country or period).</summary>
public sealed record ReferenceNodeWire(
    Guid Id,
    string Scheme,
    string Code,
    string Level,
    Dictionary<string, string> Name,
    NodeSummaryWire? Parent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    string? Fund = null,
    string? Country = null,
    string? PeriodStart = null,
    string? PeriodEnd = null);

public sealed record ChangeEntryWire(long Sequence, string Type, Guid Id, string Operation, DateTimeOffset OccurredAt, long Version, string? Publisher, JsonElement? Record = null);

public sealed record ChangesPageWire(List<ChangeEntryWire> Items, long ResumeAfter, bool HasMore, string? Next = null);

public sealed record CurrencySumWire(string Currency, string Amount, long Projects);

public sealed record ProjectGroupWire(string? Key, long Projects, List<CurrencySumWire> Budgets);

public sealed record ProjectStatisticsWire(string GroupBy, ProjectGroupWire Total, List<ProjectGroupWire> Groups);

public static class WireRecords
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static T As<T>(this JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new JsonException($"The body is null, not a {typeof(T).Name}.");

    /// <summary>Asserts the status, showing the body when it differs, and reads the body as <typeparamref name="T"/>.</summary>
    public static async Task<T> AssertStatusAsync<T>(this HttpResponseMessage response, HttpStatusCode status) =>
        (await response.AssertStatusAsync(status)).As<T>();

    /// <summary>GETs <paramref name="uri"/>, asserts 200 and reads the body as <typeparamref name="T"/>.</summary>
    public static async Task<T> GetWireAsync<T>(this HttpClient client, string uri) =>
        await (await client.GetAsync(uri)).AssertStatusAsync<T>(HttpStatusCode.OK);
}
