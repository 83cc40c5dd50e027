using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Index;

/// <summary>What the dashboard shows for one root.</summary>
/// <param name="Name">The root's name.</param>
/// <param name="Location">Its path or URI; admins only (<see langword="null"/> for other roles).</param>
/// <param name="Kind"><c>local</c> or <c>smb</c>.</param>
/// <param name="Active">Whether a run is active.</param>
/// <param name="Status">The design's status fields plus phase, rates and errors by class; <see langword="null"/> before any run.</param>
/// <param name="Problem">Why the last start or run failed, with a suggestion.</param>
/// <param name="Totals">What the index holds.</param>
internal sealed record RootStatus(string Name, string? Location, string Kind, bool Active, IndexStatus? Status, RootProblem? Problem, IndexTotals Totals);

/// <summary>The status of every root (or of one).</summary>
/// <param name="Roots">One entry per root.</param>
/// <param name="Time">When this was taken.</param>
/// <param name="NextReindex">When every root is re-indexed next (<c>NasPacs:ReindexAt</c>); <see langword="null"/> with no schedule.</param>
internal sealed record StatusResponse(IReadOnlyList<RootStatus> Roots, DateTimeOffset Time, DateTimeOffset? NextReindex);

/// <summary>
/// Builds <see cref="RootStatus"/> snapshots. Totals and the last stored run are cached for a moment per root, so twenty
/// dashboards polling twice a second cost the database one query every two seconds, not forty per second.
/// </summary>
internal sealed class StatusReporter(RootCatalog catalog, IOptions<NasPacsOptions> options, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshing = new(StringComparer.OrdinalIgnoreCase);

    public async Task<StatusResponse> DescribeAsync(IEnumerable<NasRoot> roots, CancellationToken cancellationToken)
    {
        var list = new List<RootStatus>();
        foreach (var root in roots)
        {
            list.Add(await DescribeAsync(root, cancellationToken).ConfigureAwait(false));
        }

        var now = time.GetUtcNow();
        var schedule = options.Value.ReindexAt;
        return new StatusResponse(list, now, schedule.Count == 0 ? null : ScheduledIndexing.NextRun(now, schedule, time.LocalTimeZone));
    }

    public Task<StatusResponse> DescribeAllAsync(CancellationToken cancellationToken) => DescribeAsync(catalog.All, cancellationToken);

    private async Task<RootStatus> DescribeAsync(NasRoot root, CancellationToken cancellationToken)
    {
        var (current, active) = root.Snapshot();
        var now = time.GetTimestamp();
        _cache.TryGetValue(root.Name, out var cached);
        var stale = cached is null || time.GetElapsedTime(cached.At, now) > CacheFor || cached.Phase != current?.Phase;
        if (stale)
        {
            // One refresh per root at a time: when twenty dashboards wake together, one queries and the rest use the
            // previous snapshot (a fresh one is only waited for when there is none yet).
            var gate = _refreshing.GetOrAdd(root.Name, _ => new SemaphoreSlim(1, 1));
            if (await gate.WaitAsync(cached is null ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    cached = await RefreshAsync(root, current, now, cancellationToken).ConfigureAwait(false);
                    _cache[root.Name] = cached;
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        cached ??= _cache[root.Name];
        var status = current ?? FromStoredRun(cached.LastRun, cached.Totals, cached.ErrorsByCategory);
        return new RootStatus(root.Name, root.Location, root.IsSmb ? "smb" : "local", active, status, root.Problem, cached.Totals);
    }

    /// <summary>A status for a root whose last run ended before this process started.</summary>
    private static IndexStatus? FromStoredRun(IndexRunInfo? run, IndexTotals totals, IReadOnlyDictionary<ErrorCategory, long>? errorsByCategory) => run is null ? null : new IndexStatus
    {
        ErrorsByCategory = errorsByCategory ?? new Dictionary<ErrorCategory, long>(),
        RunId = run.Id,
        Root = run.Root,
        EnumeratedFiles = run.EnumeratedFiles,
        FilesProcessed = run.FilesProcessed,
        SeriesCount = totals.Series,
        Errors = run.Errors,
        Running = false,
        StartedAt = run.StartedAt,
        LastUpdated = run.EndedAt ?? run.StartedAt,
        EstimatedCompletion = run.EndedAt,
        NewFiles = run.NewFiles,
        ModifiedFiles = run.ModifiedFiles,
        UnchangedFiles = run.UnchangedFiles,
        RemovedFiles = run.RemovedFiles,
        Phase = run.Outcome switch
        {
            IndexRunOutcome.Completed => IndexState.Completed,
            IndexRunOutcome.Failed => IndexState.Failed,
            _ => IndexState.Cancelled,
        },
    };

    private static async Task<Cached> RefreshAsync(NasRoot root, IndexStatus? current, long now, CancellationToken cancellationToken)
    {
        var totals = await root.Query.GetTotalsAsync(cancellationToken).ConfigureAwait(false);
        var runs = await root.Query.GetRunsAsync(new PageRequest(0, 1), cancellationToken).ConfigureAwait(false);
        var lastRun = runs.Items.Count > 0 ? runs.Items[0] : null;
        var byCategory = current is null && lastRun is not null
            ? await ErrorsByCategoryAsync(root, lastRun.Id, cancellationToken).ConfigureAwait(false)
            : null;
        return new Cached(now, current?.Phase, totals, lastRun, byCategory);
    }

    private static async Task<Dictionary<ErrorCategory, long>> ErrorsByCategoryAsync(NasRoot root, long runId, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<ErrorCategory, long>();
        foreach (var category in Enum.GetValues<ErrorCategory>())
        {
            var page = await root.Query.GetErrorsAsync(new ErrorSearch { Category = category, RunId = runId, Page = new PageRequest(0, 1) }, cancellationToken).ConfigureAwait(false);
            if (page.Total > 0)
            {
                counts[category] = page.Total;
            }
        }

        return counts;
    }

    private sealed record Cached(long At, IndexState? Phase, IndexTotals Totals, IndexRunInfo? LastRun, IReadOnlyDictionary<ErrorCategory, long>? ErrorsByCategory);
}
