using System.Text;
using RuralRegistry.Domain.Common;

namespace RuralRegistry.UnitTests.Domain;

public sealed class LocalizedTextTests
{
    private const int MaxLength = 100;

    [Fact]
    public void One_entry_is_enough()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("pl", "Współpraca łączy regiony")), MaxLength, errors);

        Assert.NotNull(text);
        Assert.Empty(errors);
        var entry = Assert.Single(text);
        Assert.Equal(new KeyValuePair<string, string>("pl", "Współpraca łączy regiony"), entry);
    }

    [Fact]
    public void Language_keys_are_stored_in_canonical_case()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("EN-gb", "Cooperation"), ("sr-latn-rs", "Saradnja")), MaxLength, errors);

        Assert.NotNull(text);
        Assert.Equal(["en-GB", "sr-Latn-RS"], text.Keys.Order(StringComparer.Ordinal));
        Assert.True(text.ContainsKey("en-GB"));
        Assert.False(text.ContainsKey("EN-gb"));
    }

    [Fact]
    public void Entries_come_out_in_ordinal_order_of_their_tags_however_they_were_given()
    {
        // The stored document is written in this order, so the same text always serializes to the same bytes.
        var errors = new List<DomainError>();

        var created = LocalizedText.Create(Entries(("pl", "Współpraca"), ("EN-gb", "Cooperation"), ("bg", "Сътрудничество"), ("en", "Cooperation")), MaxLength, errors);
        var trusted = LocalizedText.FromTrusted(new Dictionary<string, string> { ["pl"] = "a", ["lt"] = "b", ["bg"] = "c" });

        Assert.NotNull(created);
        Assert.Empty(errors);
        Assert.Equal(["bg", "en", "en-GB", "pl"], created.Keys);
        Assert.Equal(["Сътрудничество", "Cooperation", "Cooperation", "Współpraca"], created.Values);
        Assert.Equal(["bg", "lt", "pl"], trusted.Select(e => e.Key));
        Assert.True(created.TryGetValue("en-GB", out var british));
        Assert.Equal("Cooperation", british);
        Assert.False(created.TryGetValue("lt", out _));
        Assert.Equal("Współpraca", created["pl"]);
        Assert.Throws<KeyNotFoundException>(() => created["lt"]);
    }

    [Fact]
    public void A_null_dictionary_is_refused()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(null, MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal(string.Empty, error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void An_empty_dictionary_is_refused()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(new Dictionary<string, string?>(), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal(string.Empty, error.Path);
    }

    [Fact]
    public void More_than_the_maximum_number_of_languages_is_refused()
    {
        var errors = new List<DomainError>();
        var tags = Enumerable.Range(0, LocalizedText.MaxLanguages + 1).Select(i => $"{(char)('a' + (i / 26))}{(char)('a' + (i % 26))}").ToList();

        var atLimit = LocalizedText.Create(tags.Take(LocalizedText.MaxLanguages).ToDictionary(t => t, t => (string?)"x"), MaxLength, errors);
        var overLimit = LocalizedText.Create(tags.ToDictionary(t => t, t => (string?)"x"), MaxLength, errors);

        Assert.NotNull(atLimit);
        Assert.Null(overLimit);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("e")]
    [InlineData("en_GB")]
    [InlineData("123")]
    public void An_invalid_language_tag_is_refused_at_its_own_path(string key)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries((key, "Text")), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal("/" + key, error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("en/GB", "/en~1GB")]
    [InlineData("~en", "/~0en")]
    [InlineData("a~/b", "/a~0~1b")]
    [InlineData("a/~b", "/a~1~0b")]
    public void Keys_with_slashes_or_tildes_are_escaped_as_JSON_pointer_tokens(string key, string path)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries((key, "Text")), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal("/title" + path, error.Under("/title").Path);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\n")]
    [InlineData(null)]
    public void Empty_or_blank_text_is_refused(string? value)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("pl", value)), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal("/pl", error.Path);
    }

    [Fact]
    public void Text_longer_than_the_maximum_is_refused()
    {
        var errors = new List<DomainError>();

        var atLimit = LocalizedText.Create(Entries(("pl", new string('ł', 10))), 10, errors);
        var overLimit = LocalizedText.Create(Entries(("pl", new string('ł', 11))), 10, errors);

        Assert.NotNull(atLimit);
        Assert.Null(overLimit);
        var error = Assert.Single(errors);
        Assert.Equal("/pl", error.Path);
    }

    [Theory]
    [InlineData("Zied\u0001zeme")]
    [InlineData("Zied zeme\u0000")]
    [InlineData("Zied\u001Bzeme")]
    [InlineData("Zied\u007Fzeme")]
    [InlineData("Zied\u0085zeme")]
    public void Control_characters_are_refused(string value)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("lv", value)), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.Equal("/lv", error.Path);
    }

    [Theory]
    [InlineData("Line one\nline two")]
    [InlineData("Column\tcolumn")]
    [InlineData("Windows\r\nline")]
    public void Tabs_and_line_breaks_are_allowed(string value)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("en", value)), MaxLength, errors);

        Assert.NotNull(text);
        Assert.Empty(errors);
        Assert.Equal(value, text["en"]);
    }

    [Fact]
    public void The_same_language_twice_after_canonicalisation_is_refused()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("en-GB", "Cooperation"), ("en-gb", "Co-operation")), MaxLength, errors);

        Assert.Null(text);
        var error = Assert.Single(errors);
        Assert.True(error.Path is "/en-GB" or "/en-gb", error.Path);
        Assert.Contains("en-GB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("e", "Text"), ("pl", " "), ("lt", "kaimo bendruomenė")), MaxLength, errors);

        Assert.Null(text);
        Assert.Equal(["/e", "/pl"], errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("pl", "Współpraca łączy regiony")]
    [InlineData("lt", "kaimo bendruomenė")]
    [InlineData("lv", "Zied zeme ģimenēm")]
    [InlineData("bg", "МИГ Лясковец-Стражица")]
    [InlineData("lt", "kaimo bendruomene\u0307")]
    public void Text_is_kept_byte_for_byte(string language, string value)
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries((language, value)), MaxLength, errors);

        Assert.NotNull(text);
        Assert.Equal(Encoding.UTF8.GetBytes(value), Encoding.UTF8.GetBytes(text[language]));
    }

    [Fact]
    public void Leading_and_trailing_spaces_are_not_trimmed()
    {
        var errors = new List<DomainError>();

        var text = LocalizedText.Create(Entries(("lv", "  Zied zeme ")), MaxLength, errors);

        Assert.NotNull(text);
        Assert.Equal("  Zied zeme ", text["lv"]);
    }

    [Fact]
    public void Texts_with_the_same_entries_are_equal()
    {
        var errors = new List<DomainError>();

        var first = LocalizedText.Create(Entries(("pl", "Współpraca"), ("en", "Cooperation")), MaxLength, errors);
        var second = LocalizedText.Create(Entries(("EN", "Cooperation"), ("pl", "Współpraca")), MaxLength, errors);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first, second);
        Assert.True(first.Equals(second));
        Assert.True(first.Equals((object)second));
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }

    [Fact]
    public void Texts_with_different_entries_are_not_equal()
    {
        var text = LocalizedText.FromTrusted(new Dictionary<string, string> { ["pl"] = "Współpraca" });

        var otherValue = LocalizedText.FromTrusted(new Dictionary<string, string> { ["pl"] = "Wspolpraca" });
        var otherLanguage = LocalizedText.FromTrusted(new Dictionary<string, string> { ["lt"] = "Współpraca" });
        var moreLanguages = LocalizedText.FromTrusted(new Dictionary<string, string> { ["pl"] = "Współpraca", ["en"] = "Cooperation" });

        Assert.False(text.Equals(otherValue));
        Assert.False(text.Equals(otherLanguage));
        Assert.False(text.Equals(moreLanguages));
        Assert.False(moreLanguages.Equals(text));
        Assert.False(text.Equals(null));
    }

    [Theory]
    [InlineData("Zied zeme", 9, true)]
    [InlineData("Zied zeme", 8, false)]
    [InlineData("a\u0002b", 10, false)]
    [InlineData("   ", 10, false)]
    public void Text_rules_hold_for_any_free_text(string value, int maxLength, bool acceptable)
    {
        var result = Text.IsAcceptable(value, maxLength, out var error);

        Assert.Equal(acceptable, result);
        Assert.Equal(acceptable, error is null);
    }

    private static Dictionary<string, string?> Entries(params (string Key, string? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);
}
