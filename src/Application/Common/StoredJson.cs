using System.Text.Json;
using System.Text.Json.Serialization;

namespace RuralRegistry.Application.Common;

/// <summary>
/// A record's representation as stored when it was written: the exact UTF-8 JSON the API answers with. Serialized
/// as it is (never parsed and written again), so every read path sends the same bytes for the same version.
/// </summary>
[JsonConverter(typeof(StoredJsonConverter))]
public sealed class StoredJson(byte[] utf8)
{
    public byte[] Utf8 { get; } = utf8;
}

internal sealed class StoredJsonConverter : JsonConverter<StoredJson>
{
    public override StoredJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("A stored representation is written by the API, never read from a request.");

    public override void Write(Utf8JsonWriter writer, StoredJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}
