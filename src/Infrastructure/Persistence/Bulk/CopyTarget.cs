using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace RuralRegistry.Infrastructure.Persistence.Bulk;

/// <summary>
/// A table written by binary COPY, its column list taken from the EF model (the table's name and each property's
/// column as the model maps them), so a column renamed in the model renames the COPY with it. Built by
/// <see cref="CopyTarget{TEntity, TRow}"/>, which refuses a target that leaves one of the entity's columns out.
/// </summary>
internal sealed class CopyTarget<TRow>(string schema, string table, IReadOnlyList<string> columns, IReadOnlyList<Action<NpgsqlBinaryImporter, TRow>> writers)
    : ICopyTarget
{
    public string Schema => schema;

    public string Table => table;

    public IReadOnlyList<string> Columns => columns;

    public string Command { get; } = $"COPY {schema}.{table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)";

    /// <summary>Rows by binary COPY on the connection (and so in its open transaction); nothing is sent when there are none.</summary>
    public async Task WriteAsync(NpgsqlConnection connection, IReadOnlyCollection<TRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var copy = await connection.BeginBinaryImportAsync(Command, cancellationToken);
        foreach (var row in rows)
        {
            copy.StartRow();
            foreach (var write in writers)
            {
                write(copy, row);
            }
        }

        await copy.CompleteAsync(cancellationToken);
    }
}

/// <summary>A COPY target's table and columns, whatever its rows.</summary>
internal interface ICopyTarget
{
    string Schema { get; }

    string Table { get; }

    IReadOnlyList<string> Columns { get; }
}

/// <summary>Declares, property by property of <typeparamref name="TEntity"/>, how a <typeparamref name="TRow"/> fills its table's row.</summary>
internal sealed class CopyTarget<TEntity, TRow>(IModel model)
{
    private readonly IEntityType _entity = model.FindEntityType(typeof(TEntity))
        ?? throw new InvalidOperationException($"The model does not map {typeof(TEntity).Name}.");

    private readonly List<(IProperty Property, Action<NpgsqlBinaryImporter, TRow> Write)> _columns = [];

    public CopyTarget<TEntity, TRow> Column<TProperty, TValue>(Expression<Func<TEntity, TProperty>> property, Func<TRow, TValue> value, NpgsqlDbType type)
    {
        _columns.Add((Property(property), (copy, row) => Write(copy, value(row), type)));
        return this;
    }

    /// <summary>The target; every column the model maps for the entity must have been declared.</summary>
    public CopyTarget<TRow> Build()
    {
        var missing = _entity.GetProperties().Except(_columns.Select(c => c.Property)).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The COPY into {_entity.GetTableName()} writes no value for {string.Join(", ", missing)}.");
        }

        return new CopyTarget<TRow>(
            _entity.GetSchema() ?? RegistryDbContext.Schema,
            _entity.GetTableName()!,
            [.. _columns.Select(c => ModelColumns.Of(_entity, c.Property).Name)],
            [.. _columns.Select(c => c.Write)]);
    }

    private IProperty Property<TProperty>(Expression<Func<TEntity, TProperty>> property)
    {
        var body = property.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : property.Body;
        var name = ((MemberExpression)body).Member.Name;
        return _entity.FindProperty(name) ?? throw new InvalidOperationException($"The model maps no property {typeof(TEntity).Name}.{name}.");
    }

    private static void Write<TValue>(NpgsqlBinaryImporter copy, TValue value, NpgsqlDbType type)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, type);
        }
    }
}

/// <summary>Column names and store types as the model maps an entity's properties to its table.</summary>
internal static class ModelColumns
{
    public static IColumnBase Of(IEntityType entity, IProperty property) =>
        entity.GetTableMappings().SelectMany(t => t.ColumnMappings).First(m => m.Property == property).Column;

    public static IColumnBase Of<TEntity>(IModel model, string propertyName)
    {
        var entity = model.FindEntityType(typeof(TEntity))!;
        return Of(entity, entity.FindProperty(propertyName) ?? throw new InvalidOperationException($"The model maps no property {typeof(TEntity).Name}.{propertyName}."));
    }

    public static string Name<TEntity>(IModel model, string propertyName) => Of<TEntity>(model, propertyName).Name;

    public static string Table<TEntity>(IModel model)
    {
        var entity = model.FindEntityType(typeof(TEntity))!;
        return $"{entity.GetSchema() ?? RegistryDbContext.Schema}.{entity.GetTableName()}";
    }
}
