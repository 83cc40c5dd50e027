using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.OrthancBridge.Client;
using NasPacs.OrthancBridge.Jobs;
using NasPacs.OrthancBridge.Push;

namespace NasPacs.OrthancBridge;

internal sealed class OrthancBridge(
    OrthancClient client,
    SeriesPusher pusher,
    IPushStrategy strategy,
    IOptions<OrthancOptions> options,
    TimeProvider time,
    ILoggerFactory loggerFactory) : IOrthancBridge, IAsyncDisposable
{
    /// <summary>State and sync checks answer a person waiting on a page: one attempt, a short timeout, no retries.</summary>
    private static readonly TimeSpan QuickTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly LinkedList<PushJob> _jobs = new();
    private readonly LinkedList<SeriesPushResult> _recent = new();
    private readonly ILogger _jobLogger = loggerFactory.CreateLogger("NasPacs.OrthancBridge.Jobs");

    public bool IsConfigured => options.Value.Url is not null;

    public OrthancException? ConfigurationError => IsConfigured ? null : OrthancErrors.NotConfigured();

    public IReadOnlyList<IPushJob> Jobs
    {
        get
        {
            lock (_lock)
            {
                return _jobs.ToList<IPushJob>();
            }
        }
    }

    public IReadOnlyList<SeriesPushResult> RecentPushes
    {
        get
        {
            lock (_lock)
            {
                return _recent.ToList();
            }
        }
    }

    public async Task<OrthancConnectionState> GetConnectionStateAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        var state = new OrthancConnectionState
        {
            Configured = o.Url is not null,
            Url = o.Url,
            Username = o.Username,
            Strategy = strategy.Name,
            CheckedAt = time.GetUtcNow(),
            Metadata = o.Metadata.All.Select(n => new MetadataNameState(n, MetadataDeclaration.Unknown)).ToList(),
        };
        if (o.Url is null)
        {
            return state with { Problem = OrthancErrors.NotConfigured().ToReport(time.GetUtcNow()) };
        }

        OrthancServerInfo server;
        try
        {
            server = await QuickAsync(client.GetSystemAsync, cancellationToken).ConfigureAwait(false);
        }
        catch (OrthancException ex)
        {
            var reachable = ex.Code is OrthancErrorCodes.AuthenticationFailed or OrthancErrorCodes.UnexpectedResponse or OrthancErrorCodes.ServerError;
            return state with { Reachable = reachable, Problem = ex.ToReport(time.GetUtcNow()) };
        }

        state = state with { Reachable = true, Authenticated = true, Server = server };
        var names = new List<MetadataNameState>();
        try
        {
            foreach (var name in o.Metadata.All)
            {
                names.Add(new(name, await QuickAsync(ct => client.ProbeMetadataAsync(name, ct), cancellationToken).ConfigureAwait(false)));
            }
        }
        catch (OrthancException ex)
        {
            return state with { Problem = ex.ToReport(time.GetUtcNow()) };
        }

        state = state with { Metadata = names };
        var undeclared = names.Where(n => n.State != MetadataDeclaration.Declared).Select(n => n.Name).ToList();
        if (undeclared.Count > 0)
        {
            var sample = OrthancErrors.FromResponse(o.Url, System.Net.HttpStatusCode.Forbidden, "", metadata: true);
            state = state with
            {
                Problem = sample.ToReport(time.GetUtcNow()) with
                {
                    Message = $"Orthanc does not accept the provenance metadata {string.Join(", ", undeclared)}: pushes work, but Orthanc users will not see where series came from.",
                },
            };
        }
        else if (strategy.Unsupported(server) is { } why)
        {
            state = state with { Problem = new(Abstractions.Errors.ErrorCategory.Configuration, OrthancErrorCodes.StrategyUnsupported, why, "Set NasPacs:Orthanc:Strategy to copy.", null, time.GetUtcNow()) };
        }

        return state;
    }

    public async Task<SeriesPushResult> PushSeriesAsync(SeriesOrigin origin, string seriesKey, IProgress<PushProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var (result, failure) = await pusher.PushAsync(origin, seriesKey, progress, null, cancellationToken).ConfigureAwait(false);
        Record(result);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    public async Task<SeriesSyncState> GetSyncStateAsync(IIndexQuery index, string seriesKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var manifest = await SeriesManifest.LoadAsync(index, seriesKey, cancellationToken).ConfigureAwait(false)
            ?? throw OrthancErrors.SeriesNotIndexed(seriesKey);
        var state = new SeriesSyncState { SeriesKey = seriesKey, OrthancSeriesId = manifest.SeriesId, NasInstances = manifest.Instances.Count, ManifestHash = manifest.Hash };
        if (manifest.SeriesId is not { } seriesId)
        {
            return state with { State = SyncState.Unknown, Reason = "The series has no Study or Series Instance UID in the index, so its Orthanc ID cannot be predicted." };
        }

        var held = await QuickAsync(ct => client.GetSeriesInstancesAsync(seriesId, ct), cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return state with { State = SyncState.Absent, Reason = "Orthanc does not have the series." };
        }

        var predicted = manifest.Instances.Where(i => i.PredictedId is not null).Select(i => i.PredictedId!).ToHashSet(StringComparer.Ordinal);
        var present = held.Count(predicted.Contains);
        var extra = held.Count - present;
        var metadata = await QuickAsync(ct => client.GetSeriesMetadataAsync(seriesId, ct), cancellationToken).ConfigureAwait(false);
        var names = options.Value.Metadata;
        var recorded = metadata?.GetValueOrDefault(names.ManifestHash);
        state = state with { PresentInOrthanc = present, ExtraInOrthanc = extra, RecordedManifestHash = recorded, LastPushTime = metadata?.GetValueOrDefault(names.PushTime) };
        if (recorded is not null && !string.Equals(recorded, manifest.Hash, StringComparison.Ordinal))
        {
            return state with { State = SyncState.Drifted, Reason = "Files of the series changed on the NAS since the last push (the manifest hash differs); push again." };
        }

        if (extra > 0)
        {
            return state with { State = SyncState.Drifted, Reason = $"Orthanc holds {extra} instance(s) of the series that the NAS does not have." };
        }

        return present == 0
            ? state with { State = SyncState.Absent, Reason = "Orthanc has the series but none of the NAS's instances." }
            : present < manifest.Instances.Count
                ? state with { State = SyncState.Partial, Reason = $"Orthanc holds {present} of {manifest.Instances.Count} instances; push to send the rest." }
                : state with { State = SyncState.Complete, Reason = "Orthanc holds every instance, and the NAS has not changed since the last push." };
    }

    public IPushJob StartJob(PushJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var job = new PushJob(id, request, pusher, time, _jobLogger, Record);
        lock (_lock)
        {
            _jobs.AddFirst(job);
            while (_jobs.Count > options.Value.HistorySize && _jobs.Last is { } last && !last.Value.Status.Active)
            {
                _jobs.RemoveLast();
                last.Value.Dispose();
            }
        }

        return job;
    }

    public IPushJob? FindJob(string id)
    {
        lock (_lock)
        {
            return _jobs.FirstOrDefault(j => string.Equals(j.Id, id, StringComparison.OrdinalIgnoreCase));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<PushJob> jobs;
        lock (_lock)
        {
            jobs = [.. _jobs];
        }

        foreach (var job in jobs)
        {
            job.Cancel();
        }

        foreach (var job in jobs)
        {
            await job.Completion.ConfigureAwait(false);
            job.Dispose();
        }
    }

    private void Record(SeriesPushResult result)
    {
        lock (_lock)
        {
            _recent.AddFirst(result);
            while (_recent.Count > options.Value.HistorySize)
            {
                _recent.RemoveLast();
            }
        }
    }

    private async ValueTask<T> QuickAsync<T>(Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QuickTimeout < options.Value.RequestTimeout ? QuickTimeout : options.Value.RequestTimeout);
        try
        {
            return await action(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw OrthancErrors.Timeout(client.Url, ex);
        }
    }
}
