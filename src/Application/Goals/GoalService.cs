using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Hierarchy;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Goals;

namespace RuralRegistry.Application.Goals;

public sealed class GoalService(IRegistryDbContext db, IReferenceNodeSearch search, IChangeLog changes, IUniqueViolationDetector uniqueViolations, IProjectWrites projectWrites, TimeProvider clock)
    : HierarchyService<Goal, GoalDetails, GoalResponse>(db, search, changes, uniqueViolations, projectWrites, clock)
{
    protected override DbSet<Goal> Nodes => Db.Goals;

    protected override RecordType RecordType => RecordType.Goal;

    protected override LocalizedText NameOf(GoalDetails details) => details.Name;

    protected override ProjectRestamp Naming(Guid id) => new ProjectRestamp.NamingGoal(id);

    protected override ProjectRestamp Under(Guid id) => new ProjectRestamp.UnderGoal(id);

    protected override string Noun => "goal";

    public static Result<NodeInput<GoalDetails>> Validate(GoalRequest request)
    {
        var check = new InputChecker();
        var (scheme, code, level) = HierarchyInput.Key(check, request.Scheme, request.Code, request.Level);
        var name = check.Text(request.Name, "/name", HierarchyNode<GoalDetails>.NameMaxLength, required: true);
        var parent = HierarchyInput.Parent(check, request.Parent);
        return check.IsValid ? new NodeInput<GoalDetails>(scheme!, code!, level!, new GoalDetails(name!), parent) : check.Errors;
    }

    protected override Goal Create(NodeInput<GoalDetails> input, Guid? parentId, DateTimeOffset now) =>
        Goal.Create(input.Scheme, input.Code, input.Level, input.Details, parentId, now);

    protected override GoalResponse ToResponse(Goal node, NodeSummary? parent) =>
        new(node.Id, node.Scheme, node.Code, node.Level, node.Details.Name, parent, node.CreatedAt, node.UpdatedAt, node.Version);
}
