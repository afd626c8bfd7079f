using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Publishers;

/// <summary>A new API key.</summary>
/// <param name="Name">What the key is for, e.g. "nightly import" (up to 100 characters).</param>
/// <param name="Scopes">What the key may do: projects:write, partners:write, imports:write (these three when left out), reference:write (funding measures and goals), admin (everything an admin may do).</param>
/// <param name="ExpiresAt">When the key stops working (UTC, in the future); never when left out.</param>
public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string?>? Scopes = null, DateTimeOffset? ExpiresAt = null);

/// <summary>An API key, with its secret: shown this once and never again (only its hash is kept).</summary>
/// <param name="Id">The key's id, for revoking it.</param>
/// <param name="Publisher">The code of the publisher whose records the key may write.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Secret">The key itself: send it as <c>Authorization: Bearer &lt;secret&gt;</c> or <c>X-Api-Key</c>.</param>
/// <param name="CreatedAt">When the key was made (UTC).</param>
/// <param name="Scopes">What the key may do.</param>
/// <param name="ExpiresAt">When the key stops working; null when it does not expire.</param>
public sealed record ApiKeyCreatedResponse(Guid Id, string Publisher, string Name, string Secret, DateTimeOffset CreatedAt, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

/// <summary>A publisher key that was accepted: who it acts for and what it may do.</summary>
public sealed record KeyHolder(Caller Caller, Guid KeyId, IReadOnlyList<string> Scopes);

/// <summary>Issues, revokes and checks publishers' API keys.</summary>
public sealed class ApiKeys(IRegistryDbContext db, TimeProvider clock)
{
    public async Task<Result<ApiKeyCreatedResponse>> IssueAsync(string publisherCode, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var check = new InputChecker();
        var name = check.PlainText(request.Name, "/name", ApiKey.NameMaxLength, required: true);
        var scopes = check.List(request.Scopes, "/scopes", ApiKey.AllScopes.Count, (scope, at) =>
        {
            if (!ApiKey.AllScopes.Contains(scope))
            {
                check.Fail(at, $"'{scope}' is not a scope; use {string.Join(", ", ApiKey.AllScopes)}.");
                return null;
            }

            return scope;
        });
        if (request.Scopes is { Count: 0 })
        {
            check.Fail("/scopes", "A key needs at least one scope; leave scopes out for all of them.");
        }

        var now = clock.GetUtcNow();
        if (request.ExpiresAt <= now)
        {
            check.Fail("/expiresAt", "A key's expiry lies in the future.");
        }

        if (!check.IsValid)
        {
            return check.Errors;
        }

        var publisherId = await db.Publishers.Where(p => p.Code == publisherCode).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (publisherId is null)
        {
            return Failure.NotFound($"No publisher has the code '{publisherCode}'.");
        }

        var (key, secret) = ApiKey.Issue(publisherId.Value, name!, now, request.Scopes is null ? null : scopes!, request.ExpiresAt);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyCreatedResponse(key.Id, publisherCode, key.Name, secret, key.CreatedAt, key.Scopes, key.ExpiresAt);
    }

    public async Task<Failure?> RevokeAsync(string publisherCode, Guid keyId, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys
            .Where(k => k.Id == keyId && db.Publishers.Any(p => p.Id == k.PublisherId && p.Code == publisherCode))
            .SingleOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return Failure.NotFound($"The publisher '{publisherCode}' has no API key {keyId}.");
        }

        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// The publisher a presented key acts for and what it may do, or null when the key is unknown,
    /// revoked or expired. Notes when the key was used, at most once a minute.
    /// </summary>
    public async Task<KeyHolder?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (ApiKey.IdOf(secret) is not { } id)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == id && k.RevokedAt == null)
            .Join(db.Publishers, k => k.PublisherId, p => p.Id, (k, p) => new { Key = k, p.Code })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !found.Key.Matches(secret) || !found.Key.IsUsableAt(now))
        {
            return null;
        }

        var aMinuteAgo = now.AddMinutes(-1);
        await db.ApiKeys.Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt < aMinuteAgo))
            .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        return new KeyHolder(Caller.ForPublisher(found.Key.PublisherId, found.Code), id, found.Key.Scopes);
    }
}
