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

    private readonly SortedDictionary<string, string> _entries;

    private LocalizedText(SortedDictionary<string, string> entries) => _entries = entries;

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<string> Values => _entries.Values;

    public string this[string key] => _entries[key];

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

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var failed = false;
        foreach (var (key, text) in entries)
        {
            var path = "/" + JsonPointer.Escape(key);
            if (!LanguageTag.TryCreate(key, out var tag, out var tagError))
            {
                errors.Add(new DomainError(path, tagError!));
                failed = true;
                continue;
            }

            if (!Text.IsAcceptable(text, maxLength, out var textError))
            {
                errors.Add(new DomainError(path, textError!));
                failed = true;
                continue;
            }

            if (!result.TryAdd(tag.Value, text!))
            {
                errors.Add(new DomainError(path, $"The language '{tag.Value}' is given twice."));
                failed = true;
            }
        }

        return failed ? null : new LocalizedText(result);
    }

    /// <summary>For values read back from storage, which were validated when written.</summary>
    public static LocalizedText FromTrusted(IReadOnlyDictionary<string, string> entries) =>
        new(new SortedDictionary<string, string>(entries.ToDictionary(), StringComparer.Ordinal));

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, out string value) => _entries.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(LocalizedText? other) =>
        other is not null && _entries.Count == other._entries.Count && _entries.All(e => other._entries.TryGetValue(e.Key, out var v) && v == e.Value);

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
}
