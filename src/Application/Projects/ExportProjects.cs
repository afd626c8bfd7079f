using System.Data;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Application.Partners;

namespace RuralRegistry.Application.Projects;

/// <summary>An export under way: where the change feed stood, and the records, read as they are streamed.</summary>
public sealed class Export<T>(long changeCursor, IAsyncEnumerable<T> records, IReadOnlyList<string> languages)
{
    /// <summary>Every change up to this number is in the export; follow the feed with after = this.</summary>
    public long ChangeCursor { get; } = changeCursor;

    public IAsyncEnumerable<T> Records { get; } = records;

    /// <summary>The languages of the exported records' titles, summaries and descriptions, for flat formats.</summary>
    public IReadOnlyList<string> Languages { get; } = languages;
}

/// <summary>
/// Streams whole collections in the API's own representation (projects as stored when written), a keyset batch at a time inside one
/// repeatable-read snapshot, so memory stays flat however many records there are and the export is one
/// consistent picture. The change cursor is read before the snapshot is taken: every change up to it
/// is in the export, so a mirror that loads it and follows the feed from there misses nothing (a
/// change committing in between may arrive twice, which a mirror keyed by version absorbs).
/// </summary>
public sealed class ExportProjects(
    IRegistryDbContext db, IProjectListQuery projects, IProjectSearchTerms terms, IChangeFeedStore feed, IStoredProjects stored, PartnerQueries partners)
{
    public const int BatchSize = 500;

    /// <summary>The projects that pass the filter, each as its stored representation.</summary>
    public async Task<Result<Export<StoredJson>>> ProjectsAsync(ProjectFilterInput input, CancellationToken cancellationToken)
    {
        var parsed = await ProjectFilter.ParseAsync(input, db, terms, cancellationToken);
        if (parsed.Failure is { } failure)
        {
            return failure;
        }

        var cursor = await feed.SettledBoundAsync(cancellationToken) - 1;
        var transaction = await db.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var languages = await projects.Matching(parsed.Value!).SelectMany(p => p.Languages).Distinct().OrderBy(l => l).ToListAsync(cancellationToken);
        return new Export<StoredJson>(cursor, StreamProjectsAsync(parsed.Value!, transaction, cancellationToken), languages);
    }

    public async Task<Export<PartnerResponse>> PartnersAsync(CancellationToken cancellationToken)
    {
        var cursor = await feed.SettledBoundAsync(cancellationToken) - 1;
        var transaction = await db.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        return new Export<PartnerResponse>(cursor, StreamPartnersAsync(transaction, cancellationToken), []);
    }

    private async IAsyncEnumerable<StoredJson> StreamProjectsAsync(
        ProjectFilter filter, IStoreTransaction transaction, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (transaction)
        {
            Guid? after = null;
            while (true)
            {
                var batch = await stored.MatchingAsync(filter, after, BatchSize, cancellationToken);
                if (batch.Count == 0)
                {
                    yield break;
                }

                foreach (var (_, body) in batch)
                {
                    yield return body;
                }

                after = batch[^1].Id;
            }
        }
    }

    private async IAsyncEnumerable<PartnerResponse> StreamPartnersAsync(
        IStoreTransaction transaction, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (transaction)
        {
            string? token = null;
            do
            {
                var page = await partners.ListAsync(new ListPartnersQuery(BatchSize, token), cancellationToken);
                foreach (var partner in page.Value!.Items)
                {
                    yield return partner;
                }

                token = page.Value.NextPageToken;
            }
            while (token is not null);
        }
    }
}
