using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace RuralRegistry.Infrastructure.Persistence.Json;

internal static class JsonColumn
{
    /// <summary>Stores an immutable value object as jsonb; change detection compares by the value's own equality.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property) =>
        property
            .HasConversion(v => DocumentJson.Serialize(v), s => DocumentJson.Deserialize<T>(s))
            .HasColumnType("jsonb");
}
