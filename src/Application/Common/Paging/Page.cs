namespace RuralRegistry.Application.Common.Paging;

/// <summary>One page of a collection and, unless it is the last, the token of the next.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextPageToken);
