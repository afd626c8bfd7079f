using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Common.Paging;
using RuralRegistry.Application.FundingMeasures;
using RuralRegistry.Application.Projects;
using RuralRegistry.Domain.Changes;
using RuralRegistry.Domain.Common;

namespace RuralRegistry.Application.Hierarchy;

public sealed record ListNodesQuery(string? Scheme, string? Parent, string? Level, int? PageSize, string? PageToken, string? Q = null);

/// <summary>A node write, checked.</summary>
public sealed record NodeInput<TDetails>(string Scheme, string Code, string Level, TDetails Details, NodeReference? Parent);

/// <summary>
/// Reading and writing of reference hierarchies (funding measures, goals): lists filtered by scheme,
/// parent and level in (scheme, code) order, one node by id, and admin writes that upsert by scheme
/// and code, so seeding the same data twice changes nothing.
/// </summary>
public abstract class HierarchyService<TNode, TDetails, TResponse>(
    IRegistryDbContext db, IReferenceNodeSearch search, IChangeLog changes, IUniqueViolationDetector uniqueViolations, IProjectWrites projectWrites, TimeProvider clock)
    where TNode : HierarchyNode<TDetails>
    where TDetails : class
{
    /// <summary>The projects to restamp for the nodes staged so far (<see cref="RestampStagedAsync"/>).</summary>
    private readonly List<ProjectRestamp> _restamps = [];

    protected IRegistryDbContext Db => db;

    protected abstract DbSet<TNode> Nodes { get; }

    protected abstract RecordType RecordType { get; }

    protected abstract string Noun { get; }

    protected abstract TNode Create(NodeInput<TDetails> input, Guid? parentId, DateTimeOffset now);

    protected abstract TResponse ToResponse(TNode node, NodeSummary? parent);

    /// <summary>What a project's representation shows of a node it names (besides its id, scheme and code, which never change).</summary>
    protected abstract LocalizedText NameOf(TDetails details);

    /// <summary>The projects that name the node: they show its name.</summary>
    protected abstract ProjectRestamp Naming(Guid id);

    /// <summary>The projects that name the node or one below it: filters by a node match those under it, so a move changes them.</summary>
    protected abstract ProjectRestamp Under(Guid id);

    public async Task<Result<TResponse>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var node = await Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        return node is null ? Failure.NotFound($"No {Noun} has the id {id}.") : (await RespondAsync([node], cancellationToken))[0];
    }

    /// <summary>The nodes of these ids that exist, by id, read in two statements whatever their number (the feed's <c>include=record</c>).</summary>
    public async Task<Dictionary<Guid, TResponse>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var nodes = await Nodes.AsNoTracking().Where(n => ids.Contains(n.Id)).ToListAsync(cancellationToken);
        var responses = await RespondAsync(nodes, cancellationToken);
        return nodes.Zip(responses).ToDictionary(pair => pair.First.Id, pair => pair.Second);
    }

    public async Task<Result<Page<TResponse>>> ListAsync(ListNodesQuery query, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var size = PageSize.Resolve(query.PageSize, errors);
        var words = query.Q is null ? [] : query.Q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (query.Q is not null && (words.Length is 0 or > 12 || query.Q.Length > 200))
        {
            errors.Add(FieldError.Query("q", "q holds 1 to 12 words of at most 200 characters in all."));
        }

        var scope = PageToken.Scope(Noun, [new("scheme", query.Scheme), new("parent", query.Parent), new("level", query.Level), new("q", query.Q is null ? null : string.Join(' ', words))]);
        var token = PageToken.Decode(query.PageToken, scope, keyLength: 2, errors);
        var nodes = Nodes.AsNoTracking();
        if (words.Length > 0)
        {
            // q: every word in the code or the name in some language, case and diacritics folded.
            nodes = search.Matching<TNode>(words).AsNoTracking();
        }

        if (query.Parent is not null)
        {
            var parentId = await FindAsync(ParseReference(query.Parent), cancellationToken);
            if (parentId is null)
            {
                errors.Add(FieldError.Query("parent", $"No {Noun} is '{query.Parent}'; give an id or scheme:code."));
            }

            nodes = nodes.Where(n => n.ParentId == parentId);
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        if (query.Scheme is not null)
        {
            nodes = nodes.Where(n => n.Scheme == query.Scheme);
        }

        if (query.Level is not null)
        {
            nodes = nodes.Where(n => n.Level == query.Level);
        }

        if (token is not null)
        {
            var (scheme, code) = (token.Key[0], token.Key[1]);
            nodes = nodes.Where(n => string.Compare(n.Scheme, scheme) > 0 || (n.Scheme == scheme && string.Compare(n.Code, code) > 0));
        }

        var page = await nodes.OrderBy(n => n.Scheme).ThenBy(n => n.Code).Take(size + 1).ToListAsync(cancellationToken);
        string? next = null;
        if (page.Count > size)
        {
            page.RemoveAt(size);
            next = new PageToken([page[^1].Scheme, page[^1].Code]).Encode(scope);
        }

        return new Page<TResponse>(await RespondAsync(page, cancellationToken), next);
    }

    /// <summary>Creates the node with this scheme and code, or brings the existing one to these values.</summary>
    public async Task<Result<Written<Guid>>> UpsertAsync(NodeInput<TDetails> input, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var result = await StageAsync(input, null, cancellationToken);
        return await SaveAsync(result, transaction, cancellationToken);
    }

    /// <summary>Replaces the node with this id; its scheme and code cannot change.</summary>
    public async Task<Result<Written<Guid>>> ReplaceAsync(Guid id, NodeInput<TDetails> input, Preconditions preconditions, CancellationToken cancellationToken)
    {
        await using var transaction = await db.BeginTransactionAsync(cancellationToken);
        var node = await Nodes.SingleOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (node is null)
        {
            return Failure.NotFound($"No {Noun} has the id {id}.");
        }

        if (node.Scheme != input.Scheme || node.Code != input.Code)
        {
            return new List<FieldError> { FieldError.Body("/code", $"A {Noun}'s scheme and code never change; this one is {node.Scheme}/{node.Code}.") };
        }

        if (preconditions.Check(node.Version) is { } unmet)
        {
            return unmet;
        }

        var result = await StageAsync(input, node, cancellationToken);
        return await SaveAsync(result, transaction, cancellationToken);
    }

    private async Task<Result<Written<Guid>>> SaveAsync(
        Result<Written<Guid>> staged, IStoreTransaction transaction, CancellationToken cancellationToken)
    {
        if (staged.Failure is not null || staged.Value!.Status == WriteStatus.Unchanged)
        {
            db.ChangeTracker.Clear();
            _restamps.Clear();
            return staged;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || uniqueViolations.IsUniqueViolation(exception))
        {
            db.ChangeTracker.Clear();
            _restamps.Clear();
            return Failure.Conflict($"The {Noun} was written by someone else at the same time; read it again and retry.");
        }

        await RestampStagedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return staged;
    }

    /// <summary>
    /// After the staged nodes are saved: the projects whose representation they changed (a node renamed: the projects
    /// naming it; moved: those under it) get new versions and feed entries in this transaction, and their derived
    /// rows (facets of the node's ancestors) are refreshed at the commit.
    /// </summary>
    public async Task RestampStagedAsync(CancellationToken cancellationToken)
    {
        foreach (var restamp in _restamps.Distinct().ToList())
        {
            await projectWrites.RestampAsync(restamp, cancellationToken);
        }

        _restamps.Clear();
    }

    /// <summary>Stages one write in the current transaction without saving; for bulk seeding.</summary>
    public async Task<Result<Written<Guid>>> StageAsync(NodeInput<TDetails> input, TNode? node, CancellationToken cancellationToken)
    {
        Guid? parentId = null;
        if (input.Parent is { } parent)
        {
            parentId = await FindAsync(parent, cancellationToken);
            if (parentId is null)
            {
                return new List<FieldError> { FieldError.Body(parent.Pointer, $"No {Noun} is {parent}.") };
            }
        }

        node ??= await Nodes.SingleOrDefaultAsync(n => n.Scheme == input.Scheme && n.Code == input.Code, cancellationToken);
        if (node is not null && parentId is not null && await IsDescendantAsync(parentId.Value, node.Id, cancellationToken))
        {
            return new List<FieldError> { FieldError.Body("/parent", $"The parent lies below this {Noun}; a hierarchy has no cycles.") };
        }

        var now = clock.GetUtcNow();
        WriteStatus status;
        if (node is null)
        {
            node = Create(input, parentId, now);
            Nodes.Add(node);
            status = WriteStatus.Created;
        }
        else
        {
            var (nameBefore, parentBefore) = (NameOf(node.Details), node.ParentId);
            if (!node.Update(input.Level, input.Details, parentId, now))
            {
                return new Written<Guid>(node.Id, WriteStatus.Unchanged);
            }

            status = WriteStatus.Updated;
            if (parentBefore != parentId)
            {
                _restamps.Add(Under(node.Id));
            }
            else if (!nameBefore.Equals(NameOf(input.Details)))
            {
                _restamps.Add(Naming(node.Id));
            }
        }

        node.Stamp(await changes.RecordAsync(RecordType, node.Id, ChangeOperation.Upsert, null, cancellationToken));
        return new Written<Guid>(node.Id, status);
    }

    public static NodeReference ParseReference(string value) =>
        Guid.TryParse(value, out var id)
            ? new NodeReference(id, null, null, "/parent")
            : value.LastIndexOf(':') is var colon and > 0
                ? new NodeReference(null, value[..colon], value[(colon + 1)..], "/parent")
                : new NodeReference(null, value, value, "/parent");

    private async Task<Guid?> FindAsync(NodeReference reference, CancellationToken cancellationToken)
    {
        var local = Nodes.Local.FirstOrDefault(n => reference.Id is { } id ? n.Id == id : n.Scheme == reference.Scheme && n.Code == reference.Code);
        if (local is not null)
        {
            return local.Id;
        }

        return await (reference.Id is { } byId
            ? Nodes.Where(n => n.Id == byId)
            : Nodes.Where(n => n.Scheme == reference.Scheme && n.Code == reference.Code)).Select(n => (Guid?)n.Id).SingleOrDefaultAsync(cancellationToken);
    }

    private async Task<bool> IsDescendantAsync(Guid candidate, Guid ancestor, CancellationToken cancellationToken)
    {
        for (Guid? current = candidate; current is not null;)
        {
            if (current == ancestor)
            {
                return true;
            }

            var id = current.Value;
            current = await Nodes.Where(n => n.Id == id).Select(n => n.ParentId).SingleOrDefaultAsync(cancellationToken);
        }

        return false;
    }

    private async Task<List<TResponse>> RespondAsync(IReadOnlyList<TNode> nodes, CancellationToken cancellationToken)
    {
        var parentIds = nodes.Where(n => n.ParentId is not null).Select(n => n.ParentId!.Value).Distinct().ToList();
        var parents = await Nodes.AsNoTracking().Where(n => parentIds.Contains(n.Id))
            .Select(n => new NodeSummary(n.Id, n.Scheme, n.Code))
            .ToDictionaryAsync(n => n.Id, cancellationToken);
        return [.. nodes.Select(n => ToResponse(n, n.ParentId is { } p ? parents.GetValueOrDefault(p) : null))];
    }
}
