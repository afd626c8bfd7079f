using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Application.Imports;

/// <summary>One record of an import body, as its bytes.</summary>
public sealed record RawRecord(int Index, byte[] Bytes);

/// <summary>The two shapes an import body comes in.</summary>
public enum ImportFormat
{
    /// <summary>application/json: one JSON array of records.</summary>
    JsonArray,

    /// <summary>application/x-ndjson: one record per line; blank lines are skipped.</summary>
    Ndjson,
}

/// <summary>
/// Reads an import body as a stream of records, never holding more than one record (and a read buffer) at a
/// time. A record that is not a valid project request becomes an item with its errors, pointed at within the
/// record; the other records are read on. A JSON array that is not well-formed as a whole cannot be split into
/// records, so <see cref="CountAsync"/> refuses it before anything is read.
/// </summary>
public static class ImportBody
{
    public const string NdjsonMediaType = "application/x-ndjson";
    public const string JsonMediaType = "application/json";

    /// <summary>The body's media type without parameters, or null when it is neither of the two.</summary>
    public static ImportFormat? FormatOf(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType switch
        {
            _ when string.Equals(mediaType, JsonMediaType, StringComparison.OrdinalIgnoreCase) => ImportFormat.JsonArray,
            _ when string.Equals(mediaType, NdjsonMediaType, StringComparison.OrdinalIgnoreCase) => ImportFormat.Ndjson,
            _ => null,
        };
    }

    public static string MediaTypeOf(ImportFormat format) => format == ImportFormat.Ndjson ? NdjsonMediaType : JsonMediaType;

    /// <summary>Counts the records of a body; null with an error when a JSON array body is not one well-formed array.</summary>
    public static async Task<(int Count, string? Error)> CountAsync(Stream body, ImportFormat format, CancellationToken cancellationToken)
    {
        if (format == ImportFormat.Ndjson)
        {
            var count = 0;
            await foreach (var _ in LinesAsync(body, cancellationToken))
            {
                count++;
            }

            return (count, null);
        }

        return await CountArrayAsync(body, cancellationToken);
    }

    /// <summary>The records of a body in order, each as its own bytes (an NDJSON line, or an array element's JSON text).</summary>
    public static IAsyncEnumerable<RawRecord> ReadAsync(Stream body, ImportFormat format, CancellationToken cancellationToken) =>
        format == ImportFormat.Ndjson ? ReadLinesAsync(body, cancellationToken) : ReadArrayAsync(body, cancellationToken);

    /// <summary>A record's bytes as a project request, or why they are not one (pointers within the record).</summary>
    public static (ProjectRequest? Request, IReadOnlyList<FieldError>? Errors) Parse(byte[] bytes, JsonSerializerOptions options, Func<JsonException, FieldError> describe)
    {
        try
        {
            return JsonSerializer.Deserialize<ProjectRequest>(bytes, options) is { } request
                ? (request, null)
                : (null, [FieldError.Body(string.Empty, "A record is a JSON object (a project), not null.")]);
        }
        catch (JsonException exception)
        {
            return (null, [describe(exception)]);
        }
    }

    /// <summary>
    /// The record's own externalId and publisher members, read without deserializing the record; nulls when
    /// the record is not an object with them as strings (the full read then says what is wrong).
    /// </summary>
    public static (string? ExternalId, string? Publisher) Peek(byte[] bytes)
    {
        string? externalId = null;
        string? publisher = null;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isExternalId = reader.ValueTextEquals("externalId"u8);
                var isPublisher = reader.ValueTextEquals("publisher"u8);
                reader.Read();
                if ((isExternalId || isPublisher) && reader.TokenType == JsonTokenType.String)
                {
                    if (isExternalId)
                    {
                        externalId = reader.GetString();
                    }
                    else
                    {
                        publisher = reader.GetString();
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return (null, null);
        }

        return (externalId, publisher);
    }

    private static async IAsyncEnumerable<RawRecord> ReadLinesAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        await foreach (var line in LinesAsync(body, cancellationToken))
        {
            yield return new RawRecord(index++, line.ToArray());
        }
    }

    private static async IAsyncEnumerable<RawRecord> ReadArrayAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, new JsonSerializerOptions { MaxDepth = 64 }, cancellationToken))
        {
            yield return new RawRecord(index++, JsonMarshal.GetRawUtf8Value(element).ToArray());
        }
    }

    /// <summary>The non-blank lines of an NDJSON body, without their line ends; each line's memory is valid until the next is read.</summary>
    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> LinesAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var line = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var content = buffer.Slice(0, end);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                    if (!IsBlank(content))
                    {
                        line.ResetWrittenCount();
                        foreach (var segment in content)
                        {
                            line.Write(segment.Span);
                        }

                        yield return line.WrittenMemory;
                    }
                }

                if (read.IsCompleted)
                {
                    if (!IsBlank(buffer))
                    {
                        line.ResetWrittenCount();
                        foreach (var segment in buffer)
                        {
                            line.Write(segment.Span);
                        }

                        reader.AdvanceTo(buffer.End);
                        yield return line.WrittenMemory;
                    }

                    break;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static async Task<(int Count, string? Error)> CountArrayAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var state = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        var count = 0;
        var started = false;
        var finished = false;
        try
        {
            while (true)
            {
                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
                var final = read == 0;
                var consumed = Scan(buffer.AsSpan(0, filled), final, ref state, ref count, ref started, ref finished);
                if (!started && consumed == 0 && final)
                {
                    return (0, "The body is empty: send a JSON array of projects (application/json) or one project per line (application/x-ndjson).");
                }

                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;
                if (final)
                {
                    break;
                }

                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
            }
        }
        catch (JsonException exception)
        {
            return (0, $"The body is not one well-formed JSON array, so it cannot be split into records: {exception.Message}");
        }

        return finished ? (count, null) : (0, "The body is not one well-formed JSON array of projects.");
    }

    private static int Scan(ReadOnlySpan<byte> bytes, bool final, ref JsonReaderState state, ref int count, ref bool started, ref bool finished)
    {
        var reader = new Utf8JsonReader(bytes, final, state);
        while (reader.Read())
        {
            if (!started)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException("the body's top level is not an array.");
                }

                started = true;
                continue;
            }

            if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndArray)
            {
                finished = true;
            }
            else if (reader.CurrentDepth == 1 && reader.TokenType is not (JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.PropertyName))
            {
                count++;
            }
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
