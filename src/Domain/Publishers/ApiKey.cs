using System.Security.Cryptography;
using System.Text;

namespace RuralRegistry.Domain.Publishers;

/// <summary>
/// A publisher's API key. The secret is shown once, when the key is made; only its SHA-256 hash is
/// kept. A key reads as <c>rrk_&lt;keyId&gt;_&lt;secret&gt;</c>, so it can be found without scanning hashes.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "rrk_";
    public const int NameMaxLength = 100;

    /// <summary>What a key may do by default: write its publisher's records (and only those).</summary>
    public static readonly IReadOnlyList<string> PublisherScopes = ["projects:write", "partners:write", "imports:write"];

    /// <summary>
    /// Every scope a key may be given: also <c>reference:write</c> (funding measures and goals) and
    /// <c>admin</c> (everything an admin may do, for any publisher), which an admin grants explicitly.
    /// </summary>
    public static readonly IReadOnlyList<string> AllScopes = [.. PublisherScopes, "reference:write", "admin"];

    private ApiKey(Guid id, Guid publisherId, string name, byte[] secretHash, DateTimeOffset createdAt)
    {
        Id = id;
        PublisherId = publisherId;
        Name = name;
        SecretHash = secretHash;
        CreatedAt = createdAt;
    }

    public string[] Scopes { get; private set; } = [.. PublisherScopes];

    /// <summary>After this moment the key is refused; null for a key that does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; private set; }

    /// <summary>When the key was last accepted, to the minute.</summary>
    public DateTimeOffset? LastUsedAt { get; private set; }

    public Guid Id { get; private set; }

    public Guid PublisherId { get; private set; }

    public string Name { get; private set; }

    public byte[] SecretHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>Makes a key; the returned secret exists nowhere else and must be handed to the caller now.</summary>
    public static (ApiKey Key, string Secret) Issue(Guid publisherId, string name, DateTimeOffset now, IEnumerable<string>? scopes = null, DateTimeOffset? expiresAt = null)
    {
        var granted = (scopes ?? PublisherScopes).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (granted.Length == 0 || granted.Any(s => !AllScopes.Contains(s)))
        {
            throw new Common.DomainException($"A key takes scopes among {string.Join(", ", AllScopes)}.");
        }

        if (expiresAt <= now)
        {
            throw new Common.DomainException("A key cannot expire in the past.");
        }

        var id = Guid.CreateVersion7(now);
        var secret = $"{Prefix}{id:N}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";
        return (new ApiKey(id, publisherId, name, Hash(secret), now) { Scopes = granted, ExpiresAt = expiresAt }, secret);
    }

    public bool IsUsableAt(DateTimeOffset now) => !IsRevoked && (ExpiresAt is null || now < ExpiresAt);

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>The key id inside a presented secret, or null when it is not shaped like one of ours.</summary>
    public static Guid? IdOf(string secret) =>
        secret.StartsWith(Prefix, StringComparison.Ordinal) && secret.Length > Prefix.Length + 33 && secret[Prefix.Length + 32] == '_'
        && Guid.TryParseExact(secret.AsSpan(Prefix.Length, 32), "N", out var id)
            ? id
            : null;

    public bool Matches(string secret) => CryptographicOperations.FixedTimeEquals(Hash(secret), SecretHash);
}
