using System.Globalization;
using Npgsql;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Values of a hand-built SQL statement; <see cref="Add"/> gives the placeholder: EF's <c>{n}</c> for statements handed
/// to EF, or PostgreSQL's <c>$n</c> (<see cref="Positional"/>) for statements run on plain Npgsql, whose values
/// <see cref="AddTo"/> binds in the same order.
/// </summary>
internal sealed class SqlParameters(bool positional = false)
{
    private readonly List<object> _values = [];

    /// <summary>Parameters for a statement run on plain Npgsql (placeholders <c>$1</c>, <c>$2</c>, ...).</summary>
    public static SqlParameters Positional() => new(positional: true);

    public IReadOnlyList<object> Values => _values;

    public string Add(object value)
    {
        _values.Add(value);
        return positional
            ? "$" + _values.Count.ToString(CultureInfo.InvariantCulture)
            : "{" + (_values.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
    }

    /// <summary>Binds the values to a command of positional placeholders, their types inferred as EF infers them.</summary>
    public void AddTo(NpgsqlCommand command)
    {
        if (!positional)
        {
            throw new InvalidOperationException("EF-style placeholders are bound by EF.");
        }

        foreach (var value in _values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }
}
