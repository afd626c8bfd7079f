using System.Text.Json;
using System.Text.Json.Serialization;
using RuralRegistry.Domain.Imports;
using RuralRegistry.Web.Problems;

namespace RuralRegistry.Web.Imports;

/// <summary>An import's result on the wire: the status code its answer had (200, 207 or 422; <see cref="ResultProblems.StatusOf(ImportResult)"/>).</summary>
internal sealed class ImportResultJson : JsonConverter<ImportResult>
{
    public override ImportResult Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var status) && ResultProblems.ImportResultOf(status) is { } result
            ? result
            : throw new JsonException("An import's resultStatus is 200, 207 or 422.");

    public override void Write(Utf8JsonWriter writer, ImportResult value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(ResultProblems.StatusOf(value));
}
