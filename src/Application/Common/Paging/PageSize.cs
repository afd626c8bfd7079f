namespace RuralRegistry.Application.Common.Paging;

/// <summary>The page size rules every collection shares: 50 by default, 500 at most, larger clamped, below 1 refused.</summary>
public static class PageSize
{
    public const int Default = 50;
    public const int Maximum = 500;
    public const string ParameterName = "pageSize";

    public static int Resolve(int? requested, ICollection<FieldError> errors)
    {
        if (requested is null)
        {
            return Default;
        }

        if (requested < 1)
        {
            errors.Add(FieldError.Query(ParameterName, $"pageSize is at least 1 (and at most {Maximum}; larger values are clamped)."));
            return Default;
        }

        return Math.Min(requested.Value, Maximum);
    }
}
