using RuralRegistry.Domain.Common;

namespace RuralRegistry.Domain.Publishers;

/// <summary>
/// An organisation that owns records in the registry: a national rural network, a LAG federation,
/// a ministry's managing authority. Every project belongs to exactly one publisher.
/// </summary>
public sealed class Publisher
{
    public const int NameMaxLength = 200;

    private Publisher(Guid id, string code, string name, DateTimeOffset createdAt)
    {
        Id = id;
        Code = code;
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static Publisher Create(PublisherCode code, string name, DateTimeOffset now)
    {
        if (code == default)
        {
            throw new DomainException("A publisher needs a code.");
        }

        return new Publisher(Guid.CreateVersion7(now), code.Value, ValidName(name), now);
    }

    public void Rename(string name, DateTimeOffset now)
    {
        Name = ValidName(name);
        UpdatedAt = now;
    }

    private static string ValidName(string name)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length == 0 || trimmed.Length > NameMaxLength)
        {
            throw new DomainException($"A publisher's name has 1 to {NameMaxLength} characters.");
        }

        return trimmed;
    }
}
