using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Application.Imports;

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

    /// <summary>The records of a body in order, each deserialized with <paramref name="options"/> (the API's own JSON options).</summary>
    public static IAsyncEnumerable<ImportItem> ReadAsync(
        Stream body, ImportFormat format, JsonSerializerOptions options, Func<JsonException, FieldError> describe, CancellationToken cancellationToken) =>
        format == ImportFormat.Ndjson ? ReadLinesAsync(body, options, describe, cancellationToken) : ReadArrayAsync(body, options, describe, cancellationToken);

    private static async IAsyncEnumerable<ImportItem> ReadLinesAsync(
        Stream body, JsonSerializerOptions options, Func<JsonException, FieldError> describe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        await foreach (var line in LinesAsync(body, cancellationToken))
        {
            yield return Item(index++, () => JsonSerializer.Deserialize<ProjectRequest>(line.Span, options), describe);
        }
    }

    private static async IAsyncEnumerable<ImportItem> ReadArrayAsync(
        Stream body, JsonSerializerOptions options, Func<JsonException, FieldError> describe, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var outer = new JsonSerializerOptions { MaxDepth = options.MaxDepth + 1 };
        var index = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, outer, cancellationToken))
        {
            yield return Item(index++, () => element.Deserialize<ProjectRequest>(options), describe);
        }
    }

    private static ImportItem Item(int index, Func<ProjectRequest?> read, Func<JsonException, FieldError> describe)
    {
        try
        {
            return read() is { } request
                ? new ImportItem(index, request, null)
                : new ImportItem(index, null, [FieldError.Body(string.Empty, "A record is a JSON object (a project), not null.")]);
        }
        catch (JsonException exception)
        {
            return new ImportItem(index, null, [describe(exception)]);
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
