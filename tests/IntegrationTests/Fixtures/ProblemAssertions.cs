using System.Net;
using System.Text.Json;

namespace RuralRegistry.IntegrationTests.Fixtures;

public static class ProblemAssertions
{
    /// <summary>Asserts an RFC 9457 problem response with every member this API promises, and returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), "type is missing");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), "title is missing");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), "detail is missing");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("instance").GetString()), "instance is missing");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()), "traceId is missing");
        return problem;
    }

    public static IReadOnlyList<(string? Pointer, string? Parameter, string Detail)> Errors(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray()
            .Select(e => (
                e.TryGetProperty("pointer", out var p) ? p.GetString() : null,
                e.TryGetProperty("parameter", out var q) ? q.GetString() : null,
                e.GetProperty("detail").GetString()!))
            .ToList();
}
