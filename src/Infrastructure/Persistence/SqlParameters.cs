using System.Globalization;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>Values of a hand-built SQL statement, handed to EF as parameters; <see cref="Add"/> gives the placeholder.</summary>
internal sealed class SqlParameters
{
    private readonly List<object> _values = [];

    public IReadOnlyList<object> Values => _values;

    public string Add(object value)
    {
        _values.Add(value);
        return "{" + (_values.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
    }
}
