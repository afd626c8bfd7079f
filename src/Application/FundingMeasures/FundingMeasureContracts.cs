using RuralRegistry.Application.Projects;

namespace RuralRegistry.Application.FundingMeasures;

/// <summary>A node of a funding hierarchy as an admin writes it.</summary>
/// <param name="Scheme">The scheme: a programme or code list, e.g. <c>lv-rdp-2014-2020</c> (lowercase kebab-case).</param>
/// <param name="Code">The code within the scheme, e.g. <c>19.3</c> (up to 64 characters).</param>
/// <param name="Level">The node's level, e.g. <c>programme</c>, <c>priority</c>, <c>measure</c>, <c>sub-measure</c>, <c>action</c>.</param>
/// <param name="Name">The node's name by language.</param>
/// <param name="Fund">The fund that finances it, e.g. <c>EAFRD</c>, <c>EEA-GRANTS</c>, <c>NATIONAL</c>.</param>
/// <param name="Country">The country whose programme it belongs to; absent for EU-wide codes.</param>
/// <param name="PeriodStart">Start of its programming period (<c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>).</param>
/// <param name="PeriodEnd">End of its programming period.</param>
/// <param name="Parent">The node above it, by id or by scheme and code.</param>
public sealed record FundingMeasureRequest(
    string? Scheme,
    string? Code,
    string? Level,
    Dictionary<string, string?>? Name,
    string? Fund,
    string? Country,
    string? PeriodStart,
    string? PeriodEnd,
    ReferenceDto? Parent);

/// <summary>A node of a funding hierarchy: programme &gt; priority or measure &gt; sub-measure &gt; action.</summary>
/// <param name="Id">Server-made id (UUID version 7).</param>
/// <param name="Scheme">Its scheme.</param>
/// <param name="Code">Its code within the scheme.</param>
/// <param name="Level">Its level.</param>
/// <param name="Name">Its name by language.</param>
/// <param name="Fund">The fund that finances it.</param>
/// <param name="Country">The country whose programme it belongs to; null for EU-wide codes.</param>
/// <param name="PeriodStart">Start of its programming period.</param>
/// <param name="PeriodEnd">End of its programming period.</param>
/// <param name="Parent">The node above it.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Version">Its version: the change-sequence number of its last change; also its ETag.</param>
public sealed record FundingMeasureResponse(
    Guid Id,
    string Scheme,
    string Code,
    string Level,
    IReadOnlyDictionary<string, string> Name,
    string? Fund,
    string? Country,
    string? PeriodStart,
    string? PeriodEnd,
    NodeSummary? Parent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);

/// <summary>A node named by another.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Scheme">Its scheme.</param>
/// <param name="Code">Its code.</param>
public sealed record NodeSummary(Guid Id, string Scheme, string Code);
