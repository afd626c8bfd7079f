using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RuralRegistry.Application.Common.Paging;

/// <summary>
/// An opaque keyset cursor: the sort key of the last row handed out, bound to the collection, its
/// filters and its sort, so a token replayed with other filters is refused instead of silently
/// returning a wrong page. Clients must treat it as an opaque string.
/// </summary>
public sealed record PageToken(IReadOnlyList<string> Key)
{
    public const string ParameterName = "pageToken";
    private const int Version = 1;
    private const int MaxEncodedLength = 2048;

    /// <summary>Fingerprint of a query: the collection, its filters and its sort, in a canonical order.</summary>
    public static string Scope(string collection, IEnumerable<KeyValuePair<string, string?>> filters)
    {
        var canonical = new StringBuilder(collection);
        foreach (var (name, value) in filters.Where(f => f.Value is not null).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            canonical.Append('\n').Append(name).Append('=').Append(value);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexString(hash, 0, 12);
    }

    public string Encode(string scope)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Envelope(Version, scope, [.. Key]), EnvelopeContext.Default.Envelope);
        return Base64Url.EncodeToString(json);
    }

    /// <summary>Reads a token handed out for <paramref name="scope"/>; adds a <c>pageToken</c> error when it is not one.</summary>
    public static PageToken? Decode(string? encoded, string scope, int keyLength, ICollection<FieldError> errors)
    {
        if (encoded is null)
        {
            return null;
        }

        Envelope? envelope = null;
        if (encoded.Length is > 0 and <= MaxEncodedLength && Base64Url.IsValid(encoded))
        {
            try
            {
                envelope = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded), EnvelopeContext.Default.Envelope);
            }
            catch (JsonException)
            {
                envelope = null;
            }
        }

        if (envelope is null || envelope.V != Version || envelope.K is null || envelope.K.Length != keyLength || envelope.K.Any(k => k is null))
        {
            errors.Add(FieldError.Query(ParameterName, "pageToken is not a token this collection handed out; start again without it."));
            return null;
        }

        if (envelope.S != scope)
        {
            errors.Add(FieldError.Query(ParameterName, "pageToken was handed out for other filters or another sort; repeat the original query's parameters with it, or start again without it."));
            return null;
        }

        return new PageToken(envelope.K);
    }

    internal sealed record Envelope(int V, string S, string[] K);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(PageToken.Envelope))]
internal sealed partial class EnvelopeContext : System.Text.Json.Serialization.JsonSerializerContext;
