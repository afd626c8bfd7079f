using System.Text;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.UnitTests.Domain;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid PublisherId = Guid.CreateVersion7();

    [Fact]
    public void Issue_returns_a_prefixed_secret_that_names_the_key()
    {
        var (key, secret) = ApiKey.Issue(PublisherId, "CI upload", Now);

        Assert.StartsWith("rrk_", secret, StringComparison.Ordinal);
        Assert.Equal(key.Id, ApiKey.IdOf(secret));
        Assert.Equal(7, key.Id.Version);
        Assert.Equal(PublisherId, key.PublisherId);
        Assert.Equal("CI upload", key.Name);
        Assert.Equal(Now, key.CreatedAt);
        Assert.False(key.IsRevoked);
    }

    [Fact]
    public void Each_issue_gives_a_different_secret()
    {
        var (_, first) = ApiKey.Issue(PublisherId, "one", Now);

        var (_, second) = ApiKey.Issue(PublisherId, "two", Now);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_key_matches_its_own_secret_only()
    {
        var (key, secret) = ApiKey.Issue(PublisherId, "CI upload", Now);
        var (_, otherSecret) = ApiKey.Issue(PublisherId, "other", Now);

        var matchesOwn = key.Matches(secret);
        var matchesOther = key.Matches(otherSecret);
        var matchesAltered = key.Matches(secret[..^1] + (secret[^1] == '0' ? '1' : '0'));

        Assert.True(matchesOwn);
        Assert.False(matchesOther);
        Assert.False(matchesAltered);
        Assert.False(key.Matches(string.Empty));
    }

    [Fact]
    public void Only_the_hash_of_the_secret_is_stored()
    {
        var (key, secret) = ApiKey.Issue(PublisherId, "CI upload", Now);

        Assert.NotEqual(Encoding.UTF8.GetBytes(secret), key.SecretHash);
        Assert.Equal(ApiKey.Hash(secret), key.SecretHash);
        Assert.Equal(32, key.SecretHash.Length);
        Assert.DoesNotContain(secret, Convert.ToHexStringLower(key.SecretHash), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rrk_")]
    [InlineData("rrk_zz")]
    [InlineData("random text that is no key at all")]
    [InlineData("rrk_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz_abcdef")]
    [InlineData("rrk_0190a8a4c3b07c3e9d2f6a1b2c3d4e5f")]
    [InlineData("rrk_0190a8a4c3b07c3e9d2f6a1b2c3d4e5f_")]
    [InlineData("rrk_0190a8a4c3b07c3e9d2f6a1b2c3d4e5fXabcdef")]
    [InlineData("xrk_0190a8a4c3b07c3e9d2f6a1b2c3d4e5f_abcdef")]
    public void Malformed_secrets_have_no_key_id(string secret)
    {
        var id = ApiKey.IdOf(secret);

        Assert.Null(id);
    }

    [Fact]
    public void Revoke_sets_the_revocation_time_once()
    {
        var (key, _) = ApiKey.Issue(PublisherId, "CI upload", Now);

        key.Revoke(Now.AddDays(1));
        key.Revoke(Now.AddDays(2));

        Assert.True(key.IsRevoked);
        Assert.Equal(Now.AddDays(1), key.RevokedAt);
    }
}
