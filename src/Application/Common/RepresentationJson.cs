using System.Text.Json;
using System.Text.Json.Serialization;

namespace RuralRegistry.Application.Common;

/// <summary>
/// The one set of JSON settings of the API's representations: the host's answers are configured with it
/// (<see cref="Configure"/>), and the representations stored when records are written are rendered with it, so the
/// two cannot differ.
/// </summary>
public static class RepresentationJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the representation settings to the host's serializer options.</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    }

    public static byte[] Render<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Read<T>(StoredJson stored) => JsonSerializer.Deserialize<T>(stored.Utf8, Options)
        ?? throw new JsonException("A stored representation is null.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
