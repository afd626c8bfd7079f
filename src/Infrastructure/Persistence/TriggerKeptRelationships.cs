using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update.Internal;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Relationships EF Core needs for a navigation (a project's partner, measure and goal links) whose rows the database
/// does not check with a foreign key constraint: triggers keep them instead. EF Core has no switch for a relationship
/// without a constraint, so the relationship carries <see cref="Annotation"/> (naming the trigger) and
/// <see cref="TriggerKeptRelationshipsDiffer"/> leaves its constraint out of every schema EF Core makes: migrations,
/// <c>EnsureCreated</c> and <c>dotnet ef dbcontext script</c> alike.
/// </summary>
public static class TriggerKeptRelationships
{
    public const string Annotation = "Registry:KeptByTrigger";

    public static ReferenceCollectionBuilder<TPrincipal, TDependent> KeptByTrigger<TPrincipal, TDependent>(
        this ReferenceCollectionBuilder<TPrincipal, TDependent> builder, string trigger)
        where TPrincipal : class
        where TDependent : class =>
        builder.HasAnnotation(Annotation, trigger);

    /// <summary>The constraint names EF Core would give the annotated relationships of <paramref name="model"/>.</summary>
    public static ISet<string> ConstraintNames(IRelationalModel? model) =>
        (model?.Tables ?? [])
            .SelectMany(table => table.ForeignKeyConstraints)
            .Where(constraint => constraint.MappedForeignKeys.All(key => key.FindAnnotation(Annotation) is not null))
            .Select(constraint => constraint.Name)
            .ToHashSet(StringComparer.Ordinal);
}

#pragma warning disable EF1001 // MigrationsModelDiffer is EF Core's own differ; only its output is filtered here.
/// <summary>EF Core's differ, without the foreign key constraints of relationships triggers keep.</summary>
public sealed class TriggerKeptRelationshipsDiffer(
    IRelationalTypeMappingSource typeMappingSource,
    IMigrationsAnnotationProvider migrationsAnnotationProvider,
    IRelationalAnnotationProvider relationalAnnotationProvider,
    IRowIdentityMapFactory rowIdentityMapFactory,
    CommandBatchPreparerDependencies commandBatchPreparerDependencies)
    : MigrationsModelDiffer(typeMappingSource, migrationsAnnotationProvider, relationalAnnotationProvider, rowIdentityMapFactory, commandBatchPreparerDependencies)
{
    public override IReadOnlyList<MigrationOperation> GetDifferences(IRelationalModel? source, IRelationalModel? target)
    {
        var kept = TriggerKeptRelationships.ConstraintNames(source);
        kept.UnionWith(TriggerKeptRelationships.ConstraintNames(target));
        var operations = base.GetDifferences(source, target);
        if (kept.Count == 0)
        {
            return operations;
        }

        foreach (var table in operations.OfType<CreateTableOperation>())
        {
            table.ForeignKeys.RemoveAll(key => kept.Contains(key.Name));
        }

        return operations
            .Where(operation => operation switch
            {
                AddForeignKeyOperation add => !kept.Contains(add.Name),
                DropForeignKeyOperation drop => !kept.Contains(drop.Name),
                _ => true,
            })
            .ToList();
    }
}
#pragma warning restore EF1001
