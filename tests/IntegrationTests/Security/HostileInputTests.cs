using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using RuralRegistry.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace RuralRegistry.IntegrationTests.Security;

/// <summary>
/// A generated corpus of malformed and malicious requests against every operation of openapi/v1.json, sent
/// anonymously, with the admin key and with a publisher's key: every answer is a 4xx problem (never a 5xx,
/// never a hang, never an accepted write) and every table of the registry holds what it held before.
/// </summary>
public sealed class HostileInputTests(HostileInputApiFactory api, ITestOutputHelper output) : IClassFixture<HostileInputApiFactory>
{
    private const int Seed = 20261122;
    private const int Parallelism = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Every_hostile_request_is_refused_with_a_problem_and_the_database_is_unchanged()
    {
        var anonymous = api.CreateClient();
        var known = await KnownValuesAsync(anonymous);
        var corpus = new CorpusGenerator(Seed, known, api.Publisher.Secret).Generate(Operations());
        Assert.True(corpus.Count >= 5000, $"the corpus has only {corpus.Count} requests");
        output.WriteLine($"corpus: {corpus.Count} requests; " + string.Join(", ", corpus.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine("by operation: " + string.Join(", ", corpus.GroupBy(r => r.Operation).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));

        var before = await ChecksumAsync();
        var clock = Stopwatch.StartNew();
        var failures = new List<(string Failure, HostileRequest Request)>();
        using var gate = new SemaphoreSlim(Parallelism);
        var client = api.CreateClient();
        await Task.WhenAll(corpus.Select(async request =>
        {
            await gate.WaitAsync();
            try
            {
                var failure = await SendAsync(client, request);
                if (failure is not null)
                {
                    lock (failures)
                    {
                        failures.Add((failure, request));
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        output.WriteLine($"sent in {clock.Elapsed.TotalSeconds:F1} s; {_refusedByHost} with an encoded NUL in the path refused by the host before the API");
        var after = await ChecksumAsync();

        var report = new StringBuilder();
        foreach (var group in failures.GroupBy(f => f.Failure).OrderByDescending(g => g.Count()))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{group.Count()} x {group.Key}");
            foreach (var (_, request) in group.Take(5))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"    {request}");
            }
        }

        foreach (var table in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (before.GetValueOrDefault(table) != after.GetValueOrDefault(table))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"table registry.{table} changed: {before.GetValueOrDefault(table)} -> {after.GetValueOrDefault(table)}");
            }
        }

        output.WriteLine(report.ToString());
        Assert.True(report.Length == 0, $"{failures.Count} of {corpus.Count} hostile requests were not refused with a problem, or the database changed:{Environment.NewLine}{report}");
    }

    /// <summary>Sends one request and returns what was wrong with the answer, or null when it was a proper refusal.</summary>
    private static int _refusedByHost;

    private static async Task<string?> SendAsync(HttpClient client, HostileRequest request)
    {
        using var message = request.ToMessage();
        using var timeout = new CancellationTokenSource(RequestTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return $"{request.Operation}: no answer within {RequestTimeout.TotalSeconds} s";
        }
        catch (InvalidOperationException e) when (e.Message == "The path contains null characters.")
        {
            // An encoded NUL in the path (%00) cannot become a PathString: the in-memory host throws here, and
            // Kestrel refuses such a request line with 400 itself, before any of the API's code runs.
            Interlocked.Increment(ref _refusedByHost);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return $"{request.Operation}: the request failed: {e.GetType().Name}: {e.Message}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                return $"{request.Operation}: {status} {Excerpt(text, 200)}";
            }

            if (status < 400)
            {
                return request.Method == HttpMethod.Get ? null : $"{request.Operation}: a write answered {status}";
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{request.Operation}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "(no content type)"}, not a problem";
            }

            try
            {
                var problem = JsonDocument.Parse(text).RootElement;
                if (!problem.TryGetProperty("traceId", out var traceId) || string.IsNullOrWhiteSpace(traceId.GetString()))
                {
                    return $"{request.Operation}: {status} problem without a traceId";
                }

                if (!problem.TryGetProperty("status", out var stated) || stated.GetInt32() != status)
                {
                    return $"{request.Operation}: {status} problem stating another status";
                }
            }
            catch (JsonException)
            {
                return $"{request.Operation}: {status} problem that is not JSON";
            }

            return null;
        }
    }

    private static string Excerpt(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), $"… ({text.Length} chars)");

    /// <summary>The operations of the checked-in contract, with their parameters and the example of their body.</summary>
    private static List<ContractOperation> Operations()
    {
        var root = TestPaths.RepositoryRoot();
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "openapi", "v1.json")))!;
        var operations = new List<ContractOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(p => (Name: p!["name"]!.GetValue<string>(), In: p["in"]!.GetValue<string>()))
                    .ToList();
                string? mediaType = null;
                JsonNode? example = null;
                if (operation["requestBody"]?["content"]?.AsObject() is { } content && content.Count > 0)
                {
                    var (type, body) = content.First();
                    mediaType = type;
                    example = body!["example"]?.DeepClone() ?? ExampleOf(root, body["schema"]);
                }

                operations.Add(new ContractOperation(new HttpMethod(method.ToUpperInvariant()), path, parameters, mediaType, example));
            }
        }

        return operations;
    }

    /// <summary>A real request body of the schema: src/Web/OpenApi/Examples/{Schema}.json, or an empty object.</summary>
    private static JsonNode ExampleOf(string root, JsonNode? schema)
    {
        var reference = schema?["$ref"]?.GetValue<string>() ?? schema?["allOf"]?[0]?["$ref"]?.GetValue<string>();
        var file = reference is null ? null : Path.Combine(root, "src", "Web", "OpenApi", "Examples", reference.Split('/')[^1] + ".json");
        return file is not null && File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))! : new JsonObject();
    }

    /// <summary>Real ids and codes of the fixture's records, so hostile requests also reach existing rows.</summary>
    private async Task<Dictionary<string, List<string>>> KnownValuesAsync(HttpClient client)
    {
        async Task<List<string>> Ids(string uri, string member)
        {
            var page = await client.GetFromJsonAsync<JsonElement>(uri);
            return [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(member).GetString()!)];
        }

        var projects = await client.GetFromJsonAsync<JsonElement>("/v1/projects?pageSize=10");
        return new Dictionary<string, List<string>>
        {
            ["/v1/projects/{id}"] = await Ids("/v1/projects?pageSize=10", "id"),
            ["/v1/projects/external/{externalId}"] = [.. projects.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("externalId").GetString()!)],
            ["/v1/partners/{id}"] = await Ids("/v1/partners?pageSize=10", "id"),
            ["/v1/funding-measures/{id}"] = await Ids("/v1/funding-measures?pageSize=10", "id"),
            ["/v1/goals/{id}"] = await Ids("/v1/goals?pageSize=10", "id"),
            ["/v1/publishers/{code}"] = await Ids("/v1/publishers?pageSize=10", "code"),
        };
    }

    /// <summary>
    /// An md5 of every table of the registry schema, its rows in a fixed order. The audit log records
    /// every write attempt by a known key, refused ones too, and a key notes when it was last used: those
    /// are meant to change, so the audit log is left out and a key's last use is not compared.
    /// </summary>
    private async Task<Dictionary<string, string>> ChecksumAsync()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'registry' AND table_type = 'BASE TABLE' ORDER BY table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(tables);
        var sums = new Dictionary<string, string>();
        foreach (var table in tables.Where(t => t != "audit_entries"))
        {
            var quoted = "registry.\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            var rows = table == "api_keys" ? $"(SELECT id, publisher_id, name, secret_hash, created_at, revoked_at, scopes, expires_at FROM {quoted})" : quoted;
            await using var command = new NpgsqlCommand($"SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {rows} t", connection);
            sums[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        return sums;
    }
}

public sealed record ContractOperation(HttpMethod Method, string PathTemplate, List<(string Name, string In)> Parameters, string? MediaType, JsonNode? Example)
{
    public string Name => $"{Method} {PathTemplate}";

    public bool IsWrite => Method != HttpMethod.Get && Method != HttpMethod.Head;
}

/// <summary>One request of the corpus, built again each time it is sent.</summary>
public sealed class HostileRequest
{
    public required string Kind { get; init; }

    public required string Operation { get; init; }

    public required HttpMethod Method { get; init; }

    public required string Uri { get; init; }

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }

    public long? ContentLength { get; init; }

    public List<(string Name, string Value)> Headers { get; init; } = [];

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Uri, UriKind.Relative));
        if (Body is not null)
        {
            var content = new ByteArrayContent(Body);
            content.Headers.Remove("Content-Type");
            if (ContentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }

            if (ContentLength is { } length)
            {
                content.Headers.ContentLength = length;
            }

            message.Content = content;
        }

        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? string.Empty : " body: " + Excerpt(Encoding.UTF8.GetString(Body), 160);
        var headers = Headers.Count == 0 ? string.Empty : " headers: " + string.Join("; ", Headers.Select(h => $"{h.Name}: {Excerpt(h.Value, 60)}"));
        return $"[{Kind}] {Method} {Excerpt(Uri, 160)}{headers}{body}";
    }

    private static string Excerpt(string text, int length) =>
        (text.Length <= length ? text : string.Concat(text.AsSpan(0, length), $"… ({text.Length} chars)")).ReplaceLineEndings(" ");
}

/// <summary>
/// The deterministic generator of the corpus. Writes are sent so that none can succeed: writes to an existing
/// record carry a stale If-Match (412 at worst), creations carry a "poison" member no validator accepts
/// besides the hostile one, and key issuing names a publisher that does not exist. Any write answered with a
/// 2xx is reported, so a corpus that could change the database shows up as a failure, not only in the checksum.
/// </summary>
public sealed class CorpusGenerator(int seed, Dictionary<string, List<string>> known, string publisherSecret)
{
    private const string StaleVersion = "\"999999999\"";
    private const string Placeholder = "__hostile_value__";
    private readonly Random _random = new(seed);

    private static readonly string LongText = new('A', 100_000);
    private static readonly string LongUriText = new('A', 20_000);

    /// <summary>Hostile JSON values (as JSON text) put in place of each member of a valid body.</summary>
    private static readonly string[] HostileValues =
    [
        Json("'; DROP TABLE registry.projects; --"),
        Json("' OR '1'='1"),
        Json("1; SELECT pg_sleep(30)"),
        Json("<script>alert(1)</script>"),
        Json("\"><img src=x onerror=alert(1)>"),
        Json("{{7*7}}"),
        Json("${7*7}"),
        Json("../../../../etc/passwd"),
        Json("=cmd|' /C calc'!A0"),
        Json(LongText),
        Json(""),
        Json("   "),
        Json("\u0001\u0002\u001b[31m\u007f"),
        Json("a\u0000b"),
        "\"\\ud800\"",
        "\"x\\udfff\\ud800y\"",
        "\"\\u202eevil\"",
        "1e309",
        "-1e309",
        "99999999999999999999999",
        "-99999999999999999999999",
        "123456789012345678901234567890.123456789",
        "1e-400",
        "-1",
        "0",
        "true",
        "false",
        "null",
        "{}",
        "[]",
        "{\"$where\":\"1==1\",\"__proto__\":{\"admin\":true}}",
        "[" + string.Join(",", Enumerable.Repeat("\"x\"", 1000)) + "]",
        new string('[', 40) + new string(']', 40),
        "{\"pl\":" + Json(LongText) + "}",
        "{\"xx-INVALID\":\"<script>alert(1)</script>\"}",
        "{\"pl\":{\"pl\":\"nested\"}}",
    ];

    /// <summary>Hostile query-string values, already percent-encoded where they must be.</summary>
    private static readonly string[] HostileQueryValues =
    [
        Uri.EscapeDataString("'; DROP TABLE registry.projects; --"),
        Uri.EscapeDataString("' OR '1'='1"),
        Uri.EscapeDataString("<script>alert(1)</script>"),
        Uri.EscapeDataString("{{7*7}}"),
        "%00",
        "a%00b",
        "%FF%FE",
        "%C0%AF",
        "%ED%A0%80",
        "..%2F..%2Fetc%2Fpasswd",
        LongUriText,
        "",
        "-1",
        "0",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "abc",
        "true",
        "%20",
        "%0d%0aSet-Cookie:%20x=1",
        "[]",
        "%7B%7D",
    ];

    /// <summary>Forged page tokens: random base64url, base64url of other JSON, garbage, very long.</summary>
    private IEnumerable<string> ForgedPageTokens()
    {
        foreach (var json in new[]
        {
            "{}", "[]", "null", "{\"after\":\"x' OR 1=1 --\"}", "{\"id\":\"00000000-0000-0000-0000-000000000000\",\"v\":-1}",
            "{\"k\":1e309}", "{\"after\":99999999999999999999999}", "\"<script>\"", "{\"a\":[[[[[[[[[[]]]]]]]]]]}",
        })
        {
            yield return Base64Url(Encoding.UTF8.GetBytes(json));
        }

        for (var i = 0; i < 8; i++)
        {
            var bytes = new byte[_random.Next(1, 200)];
            _random.NextBytes(bytes);
            yield return Base64Url(bytes);
        }

        yield return Base64Url(new byte[15_000]);
        yield return "!!!";
        yield return "%FF%FE%FD";
        yield return "a%00";
        yield return "====";
        yield return Uri.EscapeDataString("'; DROP TABLE registry.projects; --");
    }

    /// <summary>Hostile path segments for ids and codes (traversal, encoded nulls, very long, random).</summary>
    private IEnumerable<string> HostileSegments()
    {
        string[] fixedOnes =
        [
            "..%2F..%2Fetc%2Fpasswd", "..%252F..%252Fetc%252Fpasswd", "%2e%2e%2f%2e%2e%2f", "..%5C..%5Cwindows", "%00", "abc%00def",
            "%FF%FE", "%C0%AE%C0%AE", new string('a', 5000), Uri.EscapeDataString("'; DROP TABLE registry.projects; --"),
            Uri.EscapeDataString("<script>alert(1)</script>"), "00000000-0000-0000-0000-000000000000", "%7B00000000-0000-0000-0000-000000000000%7D",
            "-1", "99999999999999999999999", "1e309", "%20", Uri.EscapeDataString("{{7*7}}"), "%252e%252e",
        ];
        foreach (var segment in fixedOnes)
        {
            yield return segment;
        }

        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
        for (var i = 0; i < 6; i++)
        {
            var length = _random.Next(1, 80);
            yield return Uri.EscapeDataString(new string([.. Enumerable.Range(0, length).Select(_ => alphabet[_random.Next(alphabet.Length)])]));
        }
    }

    private static readonly (string Name, string Value)[] HeaderAbuse =
    [
        ("Authorization", "garbage"),
        ("Authorization", "Bearer "),
        ("Authorization", "Bearer " + new string('x', 10_000)),
        ("Authorization", "Bearer ' OR '1'='1"),
        ("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:' OR 1=1 --"))),
        ("Authorization", "Bearer rrk_" + new string('0', 64)),
        ("X-Api-Key", "'; DROP TABLE registry.projects; --"),
        ("X-Api-Key", "<script>alert(1)</script>"),
        ("If-Match", "garbage"),
        ("If-Match", "\"abc\""),
        ("If-Match", "W/\"1\""),
        ("If-Match", "\"1\", \"2\""),
        ("If-Match", "\"99999999999999999999999\""),
        ("If-Match", "\"-1\""),
        ("If-None-Match", "garbage"),
        ("If-None-Match", "\""),
        ("If-None-Match", "W/\"" + new string('9', 5000) + "\""),
        ("Accept-Encoding", "gzip;q=garbage, *;q=-1, \u00ff"),
        ("Accept", "application/xml;q=NaN"),
        ("Accept-Language", "'; DROP TABLE x; --"),
        ("Range", "bytes=garbage"),
        ("X-Forwarded-For", "' OR 1=1 --"),
        ("Content-Encoding", "gzip"),
    ];

    public List<HostileRequest> Generate(IEnumerable<ContractOperation> operations)
    {
        var corpus = new List<HostileRequest>();
        foreach (var operation in operations)
        {
            foreach (var identity in new[] { "anonymous", "admin", "publisher" })
            {
                corpus.AddRange(PathAttacks(operation, identity));
                corpus.AddRange(QueryAttacks(operation, identity));
                corpus.AddRange(HeaderAttacks(operation, identity));
                if (operation.Example is not null)
                {
                    corpus.AddRange(RawBodyAttacks(operation, identity));
                }
            }

            if (operation.Example is not null)
            {
                corpus.AddRange(MemberAttacks(operation));
            }
        }

        return corpus;
    }

    private IEnumerable<HostileRequest> PathAttacks(ContractOperation operation, string identity)
    {
        var pathParameters = operation.Parameters.Where(p => p.In == "path").ToList();
        foreach (var parameter in pathParameters)
        {
            foreach (var segment in HostileSegments())
            {
                yield return Request(operation, identity, "path", Path(operation, (parameter.Name, segment)));
            }
        }
    }

    private IEnumerable<HostileRequest> QueryAttacks(ContractOperation operation, string identity)
    {
        var path = Path(operation);
        var query = operation.Parameters.Where(p => p.In == "query").Select(p => p.Name).Append("unknownParameter").Append("pageSize").Distinct().ToList();
        foreach (var name in query)
        {
            var values = name == "pageToken" || name == "after" ? ForgedPageTokens().Concat(HostileQueryValues) : HostileQueryValues;
            foreach (var value in values)
            {
                // Each identity gets a deterministic third of the values, so the corpus stays a reasonable size.
                if (_random.Next(3) != 0)
                {
                    continue;
                }

                yield return Request(operation, identity, name is "pageToken" or "after" ? "page-token" : "query", $"{path}?{name}={value}");
            }
        }

        yield return Request(operation, identity, "query", $"{path}?pageSize=1&pageSize=2&pageSize=%27");
        yield return Request(operation, identity, "query", $"{path}?{string.Join("&", Enumerable.Range(0, 500).Select(i => $"p{i}={i}"))}");
    }

    private IEnumerable<HostileRequest> HeaderAttacks(ContractOperation operation, string identity)
    {
        foreach (var (name, value) in HeaderAbuse)
        {
            var body = operation.Example is null ? null : Encoding.UTF8.GetBytes(Poisoned(operation, operation.Example.DeepClone(), null).ToJsonString());
            yield return Request(operation, identity, "header", Path(operation), body, operation.MediaType, extra: [(name, value)]);
        }
    }

    private IEnumerable<HostileRequest> RawBodyAttacks(ContractOperation operation, string identity)
    {
        var valid = Poisoned(operation, operation.Example!.DeepClone(), null).ToJsonString();
        var path = Path(operation);
        var utf8 = Encoding.UTF8.GetBytes(valid);
        var bodies = new List<(string Name, byte[] Bytes, string? ContentType, long? Length)>
        {
            ("truncated", utf8[..(utf8.Length / 2)], operation.MediaType, null),
            ("truncated-1", utf8[..^1], operation.MediaType, null),
            ("trailing-comma", Encoding.UTF8.GetBytes(valid.TrimEnd('}') + ",}"), operation.MediaType, null),
            ("nan", Encoding.UTF8.GetBytes("{\"x\":NaN,\"y\":Infinity,\"z\":-Infinity}"), operation.MediaType, null),
            ("single-quotes", Encoding.UTF8.GetBytes(valid.Replace('"', '\'')), operation.MediaType, null),
            ("comments", Encoding.UTF8.GetBytes("/* x */" + valid + "// y"), operation.MediaType, null),
            ("deep-array", Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)), operation.MediaType, null),
            ("deep-array-open", Encoding.UTF8.GetBytes(new string('[', 10_000)), operation.MediaType, null),
            ("deep-object", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5_000)) + "1" + new string('}', 5_000)), operation.MediaType, null),
            ("invalid-utf8", [.. utf8[..(utf8.Length / 2)], 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80, 0xC0, 0xAF, .. utf8[(utf8.Length / 2)..]], operation.MediaType, null),
            ("invalid-utf8-string", [.. "{\"name\":\""u8.ToArray(), 0xFF, 0xC0, 0x80, 0xED, 0xB2, 0x80, .. "\"}"u8.ToArray()], operation.MediaType, null),
            ("bom", [0xEF, 0xBB, 0xBF, .. utf8], operation.MediaType, null),
            ("utf16", Encoding.Unicode.GetBytes(valid), operation.MediaType + "; charset=utf-16", null),
            ("empty", [], operation.MediaType, null),
            ("null", "null"u8.ToArray(), operation.MediaType, null),
            ("array", "[]"u8.ToArray(), operation.MediaType, null),
            ("string", "\"text\""u8.ToArray(), operation.MediaType, null),
            ("number", "99999999999999999999999"u8.ToArray(), operation.MediaType, null),
            ("duplicate-members", Encoding.UTF8.GetBytes("{\"a\":1,\"a\":2," + valid.TrimStart('{')), operation.MediaType, null),
            ("two-documents", Encoding.UTF8.GetBytes(valid + valid), operation.MediaType, null),
            ("text-plain", utf8, "text/plain", null),
            ("xml", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"u8.ToArray(), "application/xml", null),
            ("form", "a=1&b=%27"u8.ToArray(), "application/x-www-form-urlencoded", null),
            ("multipart", "--x\r\n\r\n"u8.ToArray(), "multipart/form-data; boundary=", null),
            ("no-content-type", utf8, null, null),
            ("garbage-content-type", utf8, "garbage/;;;==", null),
            ("wrong-json-type", utf8, operation.MediaType == "application/json" ? RegistryClients.MergePatchType : "application/json", null),
            ("huge-content-length", utf8, operation.MediaType, 50_000_000_000),
            ("long-string-body", Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 2_000_000) + "\"}"), operation.MediaType, null),
            ("huge-array", Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("0", 400_000)) + "]"), operation.MediaType, null),
        };

        foreach (var (name, bytes, contentType, length) in bodies)
        {
            yield return Request(operation, identity, "raw-body:" + name, path, bytes, contentType, length);
        }
    }

    /// <summary>Each member of the example body, at every depth, replaced in turn by hostile values.</summary>
    private IEnumerable<HostileRequest> MemberAttacks(ContractOperation operation)
    {
        var pointers = new List<string>();
        Walk(operation.Example!, string.Empty, pointers, 0);
        string[] identities = ["anonymous", "admin", "publisher"];
        foreach (var pointer in pointers)
        {
            // Top-level members get every hostile value; nested ones a deterministic sample.
            var depth = pointer.Count(c => c == '/');
            foreach (var value in HostileValues)
            {
                if (depth > 1 && _random.Next(4) != 0)
                {
                    continue;
                }

                // The hostile value goes in as text, so values no JSON writer would produce (lone surrogates, 1e309) stay as sent.
                var body = operation.Example!.DeepClone();
                Replace(body, pointer, JsonValue.Create(Placeholder));
                var text = Poisoned(operation, body, pointer).ToJsonString().Replace(Json(Placeholder), value, StringComparison.Ordinal);
                var identity = identities[_random.Next(identities.Length)];
                yield return Request(operation, identity, "member", Path(operation), Encoding.UTF8.GetBytes(text), operation.MediaType);
            }
        }

        // Members the schema does not have, and members removed.
        foreach (var identity in identities)
        {
            var extra = operation.Example!.DeepClone();
            if (extra is JsonObject o)
            {
                o["'; DROP TABLE registry.projects; --"] = "x";
                o["__proto__"] = new JsonObject { ["admin"] = true };
                yield return Request(operation, identity, "member", Path(operation), Encoding.UTF8.GetBytes(extra.ToJsonString()), operation.MediaType);
            }
        }
    }

    private static void Walk(JsonNode node, string pointer, List<string> pointers, int depth)
    {
        if (depth > 4)
        {
            return;
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                {
                    var p = pointer + "/" + name;
                    pointers.Add(p);
                    if (child is not null)
                    {
                        Walk(child, p, pointers, depth + 1);
                    }
                }

                break;
            case JsonArray a when a.Count > 0:
                pointers.Add(pointer + "/0");
                if (a[0] is not null)
                {
                    Walk(a[0]!, pointer + "/0", pointers, depth + 1);
                }

                break;
        }
    }

    private static void Replace(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = pointer.Split('/')[1..];
        JsonNode current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = current is JsonArray array ? array[int.Parse(parts[i], CultureInfo.InvariantCulture)]! : current[parts[i]]!;
        }

        if (current is JsonArray target)
        {
            target[int.Parse(parts[^1], CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            current[parts[^1]] = value;
        }
    }

    /// <summary>
    /// Creations (POST) cannot carry a stale If-Match, so their body also gets a member no validator accepts
    /// (an empty code or language), chosen so it is never the member under attack.
    /// </summary>
    private static JsonNode Poisoned(ContractOperation operation, JsonNode body, string? attacked)
    {
        if (operation.Method != HttpMethod.Post || body is not JsonObject o)
        {
            return body;
        }

        foreach (var candidate in new[] { "code", "scheme", "originalLanguage", "country", "kind", "name", "title" })
        {
            if (o.ContainsKey(candidate) && attacked?.StartsWith("/" + candidate, StringComparison.Ordinal) != true)
            {
                o[candidate] = string.Empty;
                return o;
            }
        }

        return o;
    }

    /// <summary>The operation's path with known values in its parameters (never ones a write could use), and the given overrides.</summary>
    private string Path(ContractOperation operation, params (string Name, string Value)[] overrides)
    {
        var path = operation.PathTemplate;
        foreach (var name in operation.Parameters.Where(p => p.In == "path").Select(p => p.Name))
        {
            var value = overrides.FirstOrDefault(o => o.Name == name).Value ?? KnownValue(operation, name);
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return path;
    }

    private string KnownValue(ContractOperation operation, string name)
    {
        // Key issuing and revoking have no If-Match: they get a publisher and a key that do not exist.
        if (operation.PathTemplate.Contains("/api-keys", StringComparison.Ordinal))
        {
            return name == "code" ? "no-such-publisher" : Guid.Empty.ToString();
        }

        var template = operation.PathTemplate;
        var key = known.Keys.FirstOrDefault(k => template.StartsWith(k, StringComparison.Ordinal) && k.EndsWith("{" + name + "}", StringComparison.Ordinal));
        if (key is not null && known[key].Count > 0)
        {
            return Uri.EscapeDataString(known[key][_random.Next(known[key].Count)]);
        }

        return Guid.NewGuid().ToString();
    }

    private HostileRequest Request(ContractOperation operation, string identity, string kind, string uri, byte[]? body = null, string? contentType = null, long? length = null, (string Name, string Value)[]? extra = null)
    {
        if (body is null && operation.Example is not null && !kind.StartsWith("raw-body", StringComparison.Ordinal))
        {
            body = Encoding.UTF8.GetBytes(Poisoned(operation, operation.Example.DeepClone(), null).ToJsonString());
            contentType = operation.MediaType;
        }

        var headers = new List<(string Name, string Value)>();
        var abused = extra?.Select(h => h.Name).ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        if (!abused.Contains("Authorization"))
        {
            switch (identity)
            {
                case "admin":
                    headers.Add(("Authorization", "Bearer " + RegistryApiFactory.AdminKey));
                    break;
                case "publisher":
                    headers.Add(("Authorization", "Bearer " + publisherSecret));
                    break;
            }
        }

        // Every write to an existing record names a version it does not have: at worst it answers 412.
        if (operation.IsWrite && !abused.Contains("If-Match"))
        {
            headers.Add(("If-Match", StaleVersion));
        }

        headers.AddRange(extra ?? []);
        return new HostileRequest
        {
            Kind = kind,
            Operation = operation.Name,
            Method = operation.Method,
            Uri = uri,
            Body = body,
            ContentType = contentType,
            ContentLength = length,
            Headers = headers,
        };
    }

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
