namespace RuralRegistry.Application.Publishers;

/// <summary>A publisher as the API shows it.</summary>
/// <param name="Id">Server-made identifier (UUID version 7).</param>
/// <param name="Code">The publisher's stable code, e.g. <c>pl-ksow</c>.</param>
/// <param name="Name">The publisher's name.</param>
/// <param name="CreatedAt">When the publisher was registered (UTC).</param>
/// <param name="UpdatedAt">When the publisher last changed (UTC).</param>
public sealed record PublisherResponse(Guid Id, string Code, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
