using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Hierarchy;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.FundingMeasures;

namespace RuralRegistry.Application.FundingMeasures;

public sealed class FundingMeasureService(IRegistryDbContext db, IReferenceNodeSearch search, IChangeLog changes, IUniqueViolationDetector uniqueViolations, IProjectWrites projectWrites, TimeProvider clock)
    : HierarchyService<FundingMeasure, FundingMeasureDetails, FundingMeasureResponse>(db, search, changes, uniqueViolations, projectWrites, clock)
{
    protected override DbSet<FundingMeasure> Nodes => Db.FundingMeasures;

    protected override RecordType RecordType => RecordType.FundingMeasure;

    protected override LocalizedText NameOf(FundingMeasureDetails details) => details.Name;

    protected override ProjectRestamp Naming(Guid id) => new ProjectRestamp.NamingMeasure(id);

    protected override ProjectRestamp Under(Guid id) => new ProjectRestamp.UnderMeasure(id);

    public const int FundMaxLength = 32;

    protected override string Noun => "funding measure";

    public static Result<NodeInput<FundingMeasureDetails>> Validate(FundingMeasureRequest request)
    {
        var check = new InputChecker();
        var (scheme, code, level) = HierarchyInput.Key(check, request.Scheme, request.Code, request.Level);
        var name = check.Text(request.Name, "/name", HierarchyNode<FundingMeasureDetails>.NameMaxLength, required: true);
        var fund = request.Fund is null ? null : check.PlainText(request.Fund, "/fund", FundMaxLength, required: false);
        var country = check.Country(request.Country, "/country");
        var start = check.Date(request.PeriodStart, "/periodStart");
        var end = check.Date(request.PeriodEnd, "/periodEnd");
        check.DateRange(start, end, "/periodEnd");
        var parent = HierarchyInput.Parent(check, request.Parent);
        return check.IsValid
            ? new NodeInput<FundingMeasureDetails>(scheme!, code!, level!, new FundingMeasureDetails(name!, fund, country, start, end), parent)
            : check.Errors;
    }

    protected override FundingMeasure Create(NodeInput<FundingMeasureDetails> input, Guid? parentId, DateTimeOffset now) =>
        FundingMeasure.Create(input.Scheme, input.Code, input.Level, input.Details, parentId, now);

    protected override FundingMeasureResponse ToResponse(FundingMeasure node, NodeSummary? parent) => new(
        node.Id, node.Scheme, node.Code, node.Level, node.Details.Name, node.Details.Fund, node.Details.Country?.Value,
        node.Details.PeriodStart?.ToString(), node.Details.PeriodEnd?.ToString(), parent, node.CreatedAt, node.UpdatedAt, node.Version);
}

/// <summary>Checks shared by every hierarchy write.</summary>
public static class HierarchyInput
{
    public static (string? Scheme, string? Code, string? Level) Key(InputChecker check, string? scheme, string? code, string? level)
    {
        var checkedScheme = check.Slug(scheme, "/scheme", "A scheme");
        var checkedCode = check.PlainText(code, "/code", HierarchyNode<FundingMeasureDetails>.CodeMaxLength, required: true);
        if (checkedCode is not null && (checkedCode.Trim() != checkedCode || checkedCode.Contains(':', StringComparison.Ordinal)))
        {
            check.Fail("/code", "A code has no leading or trailing spaces and no ':'.");
        }

        var checkedLevel = check.Slug(level, "/level", "A level");
        return (checkedScheme, checkedCode, checkedLevel);
    }

    public static NodeReference? Parent(InputChecker check, ReferenceDto? parent)
    {
        if (parent is null)
        {
            return null;
        }

        if (parent.Id is { } id && parent.Scheme is null && parent.Code is null)
        {
            return new NodeReference(id, null, null, "/parent");
        }

        if (parent.Id is null && !string.IsNullOrEmpty(parent.Scheme) && !string.IsNullOrEmpty(parent.Code))
        {
            return new NodeReference(null, parent.Scheme, parent.Code, "/parent");
        }

        check.Fail("/parent", "Name the parent by {\"id\": ...} or by {\"scheme\": ..., \"code\": ...}.");
        return null;
    }
}
