using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RuralRegistry.IntegrationTests.Fixtures;

namespace RuralRegistry.IntegrationTests.Contract;

/// <summary>
/// Checks real responses against the checked-in contract openapi/v1.json: the status is one the operation
/// declares, the media type is the declared one, and the body validates against the declared schema.
/// A small validator of the OpenAPI 3.0 schema keywords the contract uses (nullable included): no JSON
/// Schema package this feed serves restores (JsonSchema.Net's dependencies are missing from it).
/// </summary>
public sealed class OpenApiContract
{
    private readonly JsonObject _document;

    private OpenApiContract(JsonObject document) => _document = document;

    public static OpenApiContract Load() =>
        new(JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot(), "openapi", "v1.json")))!.AsObject());

    public IEnumerable<(string Path, string Method)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (p.Key, o.Key)));

    /// <summary>Asserts the response conforms; returns the operations checked, for coverage.</summary>
    public async Task AssertConformsAsync(string method, string pathTemplate, HttpResponseMessage response)
    {
        var operation = _document["paths"]?[pathTemplate]?[method.ToLowerInvariant()]
            ?? throw new Xunit.Sdk.XunitException($"{method} {pathTemplate} is not in the contract");
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var declared = operation["responses"]![status];
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(declared is not null, $"{method} {pathTemplate} answered {status}, which the contract does not declare: {body}");

        var content = declared!["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            Assert.True(body.Length == 0, $"{method} {pathTemplate} {status}: the contract declares no body, but got: {body}");
            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "(none)";
        var media = content[mediaType];
        Assert.True(media is not null, $"{method} {pathTemplate} {status}: media type {mediaType} is not declared ({string.Join(", ", content.Select(c => c.Key))})");

        var errors = new List<string>();
        switch (mediaType)
        {
            case "application/x-ndjson":
                var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 0; i < lines.Length; i++)
                {
                    Validate(JsonNode.Parse(lines[i]), media!["schema"]!["x-ndjson-line"]!, $"line {i + 1}", errors);
                }

                break;
            case "text/csv":
                Assert.Equal("string", media!["schema"]?["type"]?.GetValue<string>());
                break;
            default:
                Validate(JsonNode.Parse(body), media!["schema"]!, "", errors);
                break;
        }

        Assert.True(errors.Count == 0, $"{method} {pathTemplate} {status} does not match the contract:\n  {string.Join("\n  ", errors.Take(20))}\nbody: {Truncate(body)}");

        foreach (var header in (declared["headers"]?.AsObject() ?? []).Where(h => h.Value?["required"]?.GetValue<bool>() == true))
        {
            Assert.True(response.Headers.Contains(header.Key), $"{method} {pathTemplate} {status}: the contract declares the header {header.Key}, which was not sent");
        }
    }

    /// <summary>A schema of components/schemas, by name.</summary>
    public JsonNode Schema(string name) => Resolve($"#/components/schemas/{name}");

    /// <summary>A schema's members and the names it requires, its allOf parts included.</summary>
    public (JsonObject Properties, HashSet<string> Required) Members(string name)
    {
        var properties = new JsonObject();
        var required = new HashSet<string>(StringComparer.Ordinal);
        Collect(Schema(name), properties, required);
        return (properties, required);
    }

    /// <summary>
    /// A schema with its $ref and allOf parts merged into one object: properties and required lists joined, every other
    /// keyword taken from the outermost schema that has it (the member's own bounds before those of its target).
    /// </summary>
    public JsonObject Flatten(JsonNode schema)
    {
        var flat = new JsonObject();
        Merge(schema, flat);
        return flat;
    }

    private void Merge(JsonNode schema, JsonObject flat)
    {
        foreach (var (keyword, value) in schema.AsObject())
        {
            switch (keyword)
            {
                case "$ref":
                    Merge(Resolve(value!.GetValue<string>()), flat);
                    break;
                case "allOf":
                    foreach (var part in value!.AsArray())
                    {
                        Merge(part!, flat);
                    }

                    break;
                case "properties":
                    var properties = flat["properties"] as JsonObject ?? (JsonObject)(flat["properties"] = new JsonObject());
                    foreach (var (name, property) in value!.AsObject())
                    {
                        properties[name] ??= property!.DeepClone();
                    }

                    break;
                case "required":
                    var required = flat["required"] as JsonArray ?? (JsonArray)(flat["required"] = new JsonArray());
                    foreach (var name in value!.AsArray().Select(r => r!.GetValue<string>()).Where(n => !required.Any(r => r!.GetValue<string>() == n)))
                    {
                        required.Add(name);
                    }

                    break;
                default:
                    if (!flat.ContainsKey(keyword))
                    {
                        flat[keyword] = value?.DeepClone();
                    }

                    break;
            }
        }
    }

    /// <summary>The name of the schema a member refers to ($ref, or allOf of one $ref), if any.</summary>
    public static string? ReferencedSchema(JsonNode schema) =>
        (schema["$ref"] ?? (schema["allOf"] is JsonArray { Count: 1 } allOf ? allOf[0]!["$ref"] : null))?.GetValue<string>().Split('/')[^1];

    private void Collect(JsonNode schema, JsonObject properties, HashSet<string> required)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Collect(Resolve(reference), properties, required);
            return;
        }

        foreach (var part in schema["allOf"]?.AsArray() ?? [])
        {
            Collect(part!, properties, required);
        }

        foreach (var (member, value) in schema["properties"]?.AsObject() ?? [])
        {
            properties[member] = value!.DeepClone();
        }

        required.UnionWith(schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? []);
    }

    /// <summary>Validates an instance against a schema of the contract; the errors name JSON pointers.</summary>
    public void Validate(JsonNode? value, JsonNode schema, string at, List<string> errors)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            Validate(value, Resolve(reference), at, errors);
            return;
        }

        if (value is null)
        {
            var nullable = schema["nullable"]?.GetValue<bool>() == true;
            if (!nullable && (schema["type"] is not null || schema["$ref"] is not null || schema["allOf"] is not null))
            {
                errors.Add($"{at}: null, but not nullable");
            }

            // OpenAPI 3.0: nullable: true lets null through the schema's own keywords.
            return;
        }

        if (schema["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
            {
                Validate(value, part!, at, errors);
            }
        }

        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(part => Passes(value, part!)))
        {
            errors.Add($"{at}: matches none of anyOf");
        }

        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count(part => Passes(value, part!)) != 1)
        {
            errors.Add($"{at}: matches {oneOf.Count(part => Passes(value, part!))} of oneOf, not exactly one");
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        var typeOk = type switch
        {
            null => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" => kind == JsonValueKind.Number && value.GetValue<JsonElement>().TryGetInt64(out _),
            "number" => kind == JsonValueKind.Number,
            _ => false,
        };
        if (!typeOk)
        {
            errors.Add($"{at}: expected {type}, got {kind}");
            return;
        }

        if (schema["enum"] is JsonArray values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            errors.Add($"{at}: {value.ToJsonString()} is not one of {values.ToJsonString()}");
        }

        switch (kind)
        {
            case JsonValueKind.Object:
                ValidateObject(value.AsObject(), schema, at, errors);
                break;
            case JsonValueKind.Array:
                var items = value.AsArray();
                if (schema["maxItems"]?.GetValue<int>() is { } maxItems && items.Count > maxItems)
                {
                    errors.Add($"{at}: {items.Count} items, at most {maxItems}");
                }

                for (var i = 0; i < items.Count && schema["items"] is { } itemSchema; i++)
                {
                    Validate(items[i], itemSchema, $"{at}/{i}", errors);
                }

                break;
            case JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, at, errors);
                break;
            case JsonValueKind.Number:
                var number = value.GetValue<decimal>();
                if (schema["minimum"] is { } minimum && number < minimum.GetValue<decimal>())
                {
                    errors.Add($"{at}: {number} is below {minimum}");
                }

                if (schema["maximum"] is { } maximum && number > maximum.GetValue<decimal>())
                {
                    errors.Add($"{at}: {number} is above {maximum}");
                }

                break;
        }
    }

    private bool Passes(JsonNode? value, JsonNode schema)
    {
        var errors = new List<string>();
        Validate(value, schema, "", errors);
        return errors.Count == 0;
    }

    private void ValidateObject(JsonObject value, JsonNode schema, string at, List<string> errors)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var required in schema["required"]?.AsArray() ?? [])
        {
            if (!value.ContainsKey(required!.GetValue<string>()))
            {
                errors.Add($"{at}: required member {required} is missing");
            }
        }

        if (schema["maxProperties"]?.GetValue<int>() is { } maxProperties && value.Count > maxProperties)
        {
            errors.Add($"{at}: {value.Count} members, at most {maxProperties}");
        }

        foreach (var (name, member) in value)
        {
            if (properties?[name] is { } propertySchema)
            {
                Validate(member, propertySchema, $"{at}/{name}", errors);
            }
            else if (schema["additionalProperties"] is JsonValue allowed && allowed.GetValueKind() == JsonValueKind.False)
            {
                errors.Add($"{at}: member {name} is not in the contract");
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Validate(member, additional, $"{at}/{name}", errors);
            }
        }
    }

    private static void ValidateString(string text, JsonNode schema, string at, List<string> errors)
    {
        if (schema["maxLength"]?.GetValue<int>() is { } maxLength && text.Length > maxLength)
        {
            errors.Add($"{at}: {text.Length} characters, at most {maxLength}");
        }

        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"{at}: '{Truncate(text)}' does not match {pattern}");
        }

        var formatOk = schema["format"]?.GetValue<string>() switch
        {
            "uuid" => Guid.TryParseExact(text, "D", out _),
            "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) && text.Contains('T', StringComparison.Ordinal),
            "uri" => Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _),
            "email" => text.Contains('@', StringComparison.Ordinal),
            _ => true,
        };
        if (!formatOk)
        {
            errors.Add($"{at}: '{Truncate(text)}' is not a {schema["format"]}");
        }
    }

    private JsonNode Resolve(string reference)
    {
        const string prefix = "#/components/schemas/";
        Assert.StartsWith(prefix, reference, StringComparison.Ordinal);
        return _document["components"]!["schemas"]![reference[prefix.Length..]] ?? throw new Xunit.Sdk.XunitException($"{reference} is not defined");
    }

    private static string Truncate(string text) => text.Length > 600 ? text[..600] + "…" : text;
}

/// <summary>Status codes a test expects, to keep the calls readable.</summary>
internal static class Expect
{
    public static HttpResponseMessage Status(this HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");
        return response;
    }
}
