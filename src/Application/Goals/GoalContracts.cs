using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Projects;

namespace RuralRegistry.Application.Goals;

/// <summary>A policy goal as an admin writes it.</summary>
/// <param name="Scheme">The framework, e.g. <c>eu-rdp-2014-2020</c>, <c>eu-cap-2023-2027</c>, <c>pl-ksow-2014-2020</c>.</param>
/// <param name="Code">The code within the framework, e.g. <c>6B</c> or <c>SO8</c>.</param>
/// <param name="Level">Its level, e.g. <c>priority</c>, <c>focus-area</c>, <c>specific-objective</c>, <c>objective</c>.</param>
/// <param name="Name">Its name by language.</param>
/// <param name="Parent">The goal above it, by id or by scheme and code.</param>
public sealed record GoalRequest(string? Scheme, string? Code, string? Level, Dictionary<string, string?>? Name, ReferenceDto? Parent);

/// <summary>An objective of a policy framework that projects serve.</summary>
/// <param name="Id">Server-made id (UUID version 7).</param>
/// <param name="Scheme">Its framework.</param>
/// <param name="Code">Its code within the framework.</param>
/// <param name="Level">Its level.</param>
/// <param name="Name">Its name by language.</param>
/// <param name="Parent">The goal above it.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Version">Its version: the change-sequence number of its last change; also its ETag.</param>
public sealed record GoalResponse(
    Guid Id,
    string Scheme,
    string Code,
    string Level,
    IReadOnlyDictionary<string, string> Name,
    NodeSummary? Parent,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version);
