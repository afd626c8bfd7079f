using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Projects;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Projects;

/// <summary>
/// The rules of a project write that need the store or resolved references, shared by the single write
/// (<see cref="ProjectWriter"/>) and the batch import, so both refuse and accept exactly the same records.
/// </summary>
public static class ProjectRules
{
    /// <summary>The publisher a record is written for: the caller's own, or the one it names when the caller may write for it.</summary>
    public static async Task<Result<Guid>> PublisherOfAsync(IRegistryDbContext db, Caller caller, string? publisherCode, CancellationToken cancellationToken)
    {
        if (publisherCode is null)
        {
            return caller.PublisherId is { } own
                ? own
                : new List<FieldError> { FieldError.Body("/publisher", "Required when an admin writes: the code of the publisher the project belongs to.") };
        }

        // A value that cannot be a code (control characters among them) is never looked up.
        var publisherId = PublisherCode.TryCreate(publisherCode, out _, out _)
            ? await db.Publishers.Where(p => p.Code == publisherCode).Select(p => (Guid?)p.Id).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (publisherId is null)
        {
            return new List<FieldError> { FieldError.Body("/publisher", $"No publisher has the code '{publisherCode}'.") };
        }

        return caller.MayWriteFor(publisherId)
            ? publisherId.Value
            : Failure.Forbidden($"Your key may not write records of the publisher '{publisherCode}'.");
    }

    public static FieldError ExternalIdRequired { get; } = FieldError.Body("/externalId", "Required: your own id of the project, e.g. its project number.");

    /// <summary>
    /// The project's links from its references as resolved (null: not found; a partner's failure is reported by
    /// the resolver already): each partner, measure and goal once, in the publisher's order.
    /// </summary>
    public static ProjectLinks? Link(
        ProjectInput input, IReadOnlyList<Guid?> partnerIds, IReadOnlyList<Guid?> measureIds, IReadOnlyList<Guid?> goalIds, InputChecker check)
    {
        var participations = new List<Participation>();
        var seenPartners = new HashSet<Guid>();
        for (var i = 0; i < input.Partners.Count; i++)
        {
            var participation = input.Partners[i];
            if (partnerIds[i] is not { } partnerId)
            {
                continue;
            }

            if (!seenPartners.Add(partnerId))
            {
                check.Fail(participation.Partner.Pointer, $"This names the partner {partnerId} again; a partner takes part in a project once (give it the role that matters most).");
                continue;
            }

            participations.Add(new Participation(partnerId, participation.Role, participation.BudgetShare));
        }

        var measures = new List<Guid>();
        for (var i = 0; i < input.FundingMeasures.Count; i++)
        {
            var reference = input.FundingMeasures[i];
            if (measureIds[i] is not { } id)
            {
                check.Fail(reference.Pointer, $"No funding measure is {reference}; GET /v1/funding-measures lists them.");
            }
            else if (measures.Contains(id))
            {
                check.Fail(reference.Pointer, $"The funding measure {reference} is named twice.");
            }
            else
            {
                measures.Add(id);
            }
        }

        var goals = new List<GoalLink>();
        for (var i = 0; i < input.Goals.Count; i++)
        {
            var reference = input.Goals[i].Goal;
            if (goalIds[i] is not { } id)
            {
                check.Fail(reference.Pointer, $"No goal is {reference}; GET /v1/goals lists them.");
            }
            else if (goals.Exists(g => g.GoalId == id))
            {
                check.Fail(reference.Pointer, $"The goal {reference} is named twice.");
            }
            else
            {
                goals.Add(new GoalLink(id, input.Goals[i].Relevance));
            }
        }

        return check.IsValid ? new ProjectLinks(participations.ToValueList(), measures.ToValueList(), goals.ToValueList()) : null;
    }
}
