using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Partners;

namespace RuralRegistry.Application.Partners;

/// <summary>An organisation as a publisher writes it.</summary>
/// <param name="Name">Its name by BCP 47 language tag (at least one; up to 500 characters each).</param>
/// <param name="Acronym">Its acronym (up to 50 characters).</param>
/// <param name="Kind">What kind of organisation; <c>other</c> when left out.</param>
/// <param name="Country">Its country (ISO 3166-1 alpha-2; EL and UK accepted).</param>
/// <param name="Region">Its region (NUTS or ISO 3166-2).</param>
/// <param name="Website">Its website (absolute http(s) URL).</param>
/// <param name="Email">Its e-mail address.</param>
/// <param name="Identifiers">Register numbers, LAG codes and the like; an identifier names one partner only.</param>
public sealed record PartnerRequest(
    Dictionary<string, string?>? Name,
    string? Acronym,
    PartnerKind? Kind,
    string? Country,
    string? Region,
    string? Website,
    string? Email,
    IReadOnlyList<IdentifierDto?>? Identifiers);

/// <summary>An organisation that takes part in projects.</summary>
/// <param name="Id">Server-made id (UUID version 7).</param>
/// <param name="Name">Its name by language.</param>
/// <param name="Acronym">Its acronym.</param>
/// <param name="Kind">What kind of organisation.</param>
/// <param name="Country">Its country.</param>
/// <param name="Region">Its region.</param>
/// <param name="Website">Its website.</param>
/// <param name="Email">Its e-mail address.</param>
/// <param name="Identifiers">Its identifiers.</param>
/// <param name="Owner">The code of the publisher that registered it and may change it; null when an admin registered it.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Version">Its version: the change-sequence number of its last change; also its ETag.</param>
public sealed record PartnerResponse(
    Guid Id,
    IReadOnlyDictionary<string, string> Name,
    string? Acronym,
    PartnerKind Kind,
    string? Country,
    string? Region,
    string? Website,
    string? Email,
    IReadOnlyList<IdentifierDto> Identifiers,
    string? Owner,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
