namespace RuralRegistry.Domain.Common;

/// <summary>
/// Raised when code tries to put an entity into a state its invariants forbid. Input is validated
/// before it reaches the domain, so this signals a programming error rather than a client mistake.
/// </summary>
public sealed class DomainException(string message) : Exception(message);
