using System.Collections;

namespace RuralRegistry.Domain.Common;

/// <summary>
/// Text in one or more languages: BCP 47 tag to non-empty text, at least one entry. Text is kept
/// exactly as given, byte for byte (no trimming, no normalisation), so Cyrillic, Baltic and Polish
/// letters round-trip unchanged.
/// </summary>
public sealed class LocalizedText : IReadOnlyDictionary<string, string>, IEquatable<LocalizedText>
{
    public const int MaxLanguages = 30;

    // Sorted by language tag (ordinal): a handful of entries, so an array searched in order beats a tree.
    private readonly KeyValuePair<string, string>[] _entries;

    private LocalizedText(KeyValuePair<string, string>[] entries) => _entries = entries;

    public int Count => _entries.Length;

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    public IEnumerable<string> Values => _entries.Select(e => e.Value);

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No text in '{key}'.");

    /// <summary>Validates <paramref name="entries"/>; each problem goes to <paramref name="errors"/> with a path like <c>/pl</c>.</summary>
    public static LocalizedText? Create(IReadOnlyDictionary<string, string?>? entries, int maxLength, ICollection<DomainError> errors)
    {
        if (entries is null || entries.Count == 0)
        {
            errors.Add(DomainError.Here("Give the text in at least one language, as {\"<language tag>\": \"<text>\"}."));
            return null;
        }

        if (entries.Count > MaxLanguages)
        {
            errors.Add(DomainError.Here($"At most {MaxLanguages} languages."));
            return null;
        }

        var result = new KeyValuePair<string, string>[entries.Count];
        var count = 0;
        var failed = false;
        foreach (var (key, text) in entries)
        {
            if (!LanguageTag.TryCreate(key, out var tag, out var tagError))
            {
                errors.Add(new DomainError(PathOf(key), tagError!));
                failed = true;
                continue;
            }

            if (!Text.IsAcceptable(text, maxLength, out var textError))
            {
                errors.Add(new DomainError(PathOf(key), textError!));
                failed = true;
                continue;
            }

            if (IndexOf(result.AsSpan(0, count), tag.Value) >= 0)
            {
                errors.Add(new DomainError(PathOf(key), $"The language '{tag.Value}' is given twice."));
                failed = true;
                continue;
            }

            result[count++] = new(tag.Value, text!);
        }

        return failed ? null : new LocalizedText(Sorted(result));
    }

    /// <summary>For values read back from storage, which were validated when written.</summary>
    public static LocalizedText FromTrusted(IReadOnlyDictionary<string, string> entries) => new(Sorted([.. entries]));

    public bool ContainsKey(string key) => IndexOf(_entries, key) >= 0;

    public bool TryGetValue(string key, out string value)
    {
        var index = IndexOf(_entries, key);
        value = index >= 0 ? _entries[index].Value : null!;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(LocalizedText? other)
    {
        if (other is null || other._entries.Length != _entries.Length)
        {
            return false;
        }

        for (var i = 0; i < _entries.Length; i++)
        {
            if (!string.Equals(_entries[i].Key, other._entries[i].Key, StringComparison.Ordinal)
                || !string.Equals(_entries[i].Value, other._entries[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as LocalizedText);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _entries)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    private static string PathOf(string key) => "/" + JsonPointer.Escape(key);

    private static int IndexOf(ReadOnlySpan<KeyValuePair<string, string>> entries, string key)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static KeyValuePair<string, string>[] Sorted(KeyValuePair<string, string>[] entries)
    {
        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return entries;
    }
}
