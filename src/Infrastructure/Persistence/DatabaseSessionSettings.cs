using System.Collections.Concurrent;
using Npgsql;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Server tuning the registry's sessions run with, set on each connection (the startup <c>Options</c> of the
/// connection string) rather than stored in the schema:
/// <list type="bullet">
/// <item><c>jit=off</c>: the registry's queries are short; JIT compilation spent 200 ms on a statistics query that
/// needs less without it.</item>
/// <item><c>max_parallel_workers_per_gather=0</c>: many short queries run at once; parallel workers made a search
/// that takes 20 ms alone take 100 ms or more (starting workers and merging their sorts on a busy server), and took
/// the cores other requests need.</item>
/// </list>
/// A setting the connection string's own <c>Options</c> already names (<c>Options=-c jit=on</c>) is left as given.
/// </summary>
public static class DatabaseSessionSettings
{
    public static readonly IReadOnlyList<(string Name, string Value)> Defaults =
    [
        ("jit", "off"),
        ("max_parallel_workers_per_gather", "0"),
    ];

    // Every DbContext is configured with the connection string: it is parsed once per string, not once per request.
    private static readonly ConcurrentDictionary<string, string> Applied = new(StringComparer.Ordinal);

    /// <summary>The connection string with <see cref="Defaults"/> added to its <c>Options</c>, where not named there.</summary>
    public static string Apply(string connectionString) => Applied.GetOrAdd(connectionString, Build);

    private static string Build(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = builder.Options ?? "";
        var added = Defaults
            .Where(setting => !given.Contains(setting.Name + "=", StringComparison.Ordinal))
            .Select(setting => $"-c {setting.Name}={setting.Value}");
        builder.Options = string.Join(' ', new[] { given }.Concat(added).Where(part => part.Length > 0));
        return builder.ConnectionString;
    }
}
