using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Publishers;

/// <summary>A new API key.</summary>
/// <param name="Name">What the key is for, e.g. "nightly import" (up to 100 characters).</param>
public sealed record CreateApiKeyRequest(string? Name);

/// <summary>An API key, with its secret: shown this once and never again (only its hash is kept).</summary>
/// <param name="Id">The key's id, for revoking it.</param>
/// <param name="Publisher">The code of the publisher whose records the key may write.</param>
/// <param name="Name">What the key is for.</param>
/// <param name="Secret">The key itself: send it as <c>Authorization: Bearer &lt;secret&gt;</c> or <c>X-Api-Key</c>.</param>
/// <param name="CreatedAt">When the key was made (UTC).</param>
public sealed record ApiKeyCreatedResponse(Guid Id, string Publisher, string Name, string Secret, DateTimeOffset CreatedAt);

/// <summary>Issues, revokes and checks publishers' API keys.</summary>
public sealed class ApiKeys(IRegistryDbContext db, TimeProvider clock)
{
    public async Task<Result<ApiKeyCreatedResponse>> IssueAsync(string publisherCode, CreateApiKeyRequest request, CancellationToken cancellationToken)
    {
        var check = new InputChecker();
        var name = check.PlainText(request.Name, "/name", ApiKey.NameMaxLength, required: true);
        if (!check.IsValid)
        {
            return check.Errors;
        }

        var publisherId = await db.Publishers.Where(p => p.Code == publisherCode).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken);
        if (publisherId is null)
        {
            return Failure.NotFound($"No publisher has the code '{publisherCode}'.");
        }

        var (key, secret) = ApiKey.Issue(publisherId.Value, name!, clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new ApiKeyCreatedResponse(key.Id, publisherCode, key.Name, secret, key.CreatedAt);
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

    /// <summary>The publisher a presented key acts for, or null when the key is unknown or revoked.</summary>
    public async Task<Caller?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (ApiKey.IdOf(secret) is not { } id)
        {
            return null;
        }

        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == id && k.RevokedAt == null)
            .Join(db.Publishers, k => k.PublisherId, p => p.Id, (k, p) => new { Key = k, p.Code })
            .SingleOrDefaultAsync(cancellationToken);
        return found is not null && found.Key.Matches(secret) ? Caller.ForPublisher(found.Key.PublisherId, found.Code) : null;
    }
}
