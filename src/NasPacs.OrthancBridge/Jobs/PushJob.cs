using Microsoft.Extensions.Logging;
using NasPacs.Abstractions.Indexing;
using NasPacs.Abstractions.Jobs;
using NasPacs.OrthancBridge.Push;

namespace NasPacs.OrthancBridge.Jobs;

/// <summary>
/// Pushes a list of series one after another (each with the pusher's bounded concurrency), with pause, cancel and
/// per-series results. A failure of one series (not indexed, rejected files, metadata) is recorded and the job goes
/// on; a failure of Orthanc itself (unreachable after retries, credentials, storage full) stops it.
/// </summary>
internal sealed class PushJob : IPushJob, IDisposable
{
    private static readonly HashSet<string> StopsJob =
    [
        OrthancErrorCodes.Unreachable, OrthancErrorCodes.Timeout, OrthancErrorCodes.CircuitOpen, OrthancErrorCodes.AuthenticationFailed,
        OrthancErrorCodes.StorageFull, OrthancErrorCodes.NotConfigured, OrthancErrorCodes.StrategyUnsupported,
    ];

    private readonly PushJobRequest _request;
    private readonly SeriesPusher _pusher;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<SeriesPushResult> _onSeriesDone;
    private readonly CancellationTokenSource _cancel = new();
    private readonly PauseGate _gate = new();
    private readonly Lock _lock = new();
    private readonly List<SeriesPushResult> _results = [];
    private PushJobStatus _status;
    private PushProgress? _current;

    public PushJob(string id, PushJobRequest request, SeriesPusher pusher, TimeProvider time, ILogger logger, Action<SeriesPushResult> onSeriesDone)
    {
        Id = id;
        _request = request;
        _pusher = pusher;
        _time = time;
        _logger = logger;
        _onSeriesDone = onSeriesDone;
        _status = new PushJobStatus { Id = id, Description = request.Description, State = PushJobState.Running, StartedAt = time.GetUtcNow() };
        Completion = Task.Run(RunAsync);
    }

    public string Id { get; }

    public Task<PushJobStatus> Completion { get; }

    public PushJobStatus Status
    {
        get
        {
            lock (_lock)
            {
                var current = _current;
                var s = _status;
                var finished = _results;
                return s with
                {
                    State = s.State == PushJobState.Running && _gate.IsPaused ? PushJobState.Paused : s.State,
                    SeriesDone = finished.Count,
                    SeriesFailed = finished.Count(r => r.Outcome != PushOutcome.Completed),
                    Uploaded = finished.Sum(r => (long)r.Uploaded) + (current?.Uploaded ?? 0),
                    AlreadyPresent = finished.Sum(r => (long)r.AlreadyPresent) + (current?.AlreadyPresent ?? 0),
                    Failed = finished.Sum(r => (long)r.Failed) + (current?.Failed ?? 0),
                    InstancesDone = finished.Sum(r => (long)Math.Max(r.NasFiles, r.AlreadyPresent + r.Uploaded + r.Failed)) + (current?.Done ?? 0),
                    BytesSent = finished.Sum(r => r.BytesSent) + (current?.BytesSent ?? 0),
                    Results = finished.ToList(),
                };
            }
        }
    }

    public void Pause() => _gate.Pause();

    public void Resume() => _gate.Resume();

    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended.
        }
    }

    public void Dispose() => _cancel.Dispose();

    private async Task<PushJobStatus> RunAsync()
    {
        var token = _cancel.Token;
        var state = PushJobState.Completed;
        OrthancException? stop = null;
        try
        {
            var work = await PlanAsync(token).ConfigureAwait(false);
            lock (_lock)
            {
                _status = _status with { SeriesTotal = work.Count, FilesTotal = work.Sum(w => w.Files) };
            }

            foreach (var (origin, key, _) in work)
            {
                await _gate.WaitAsync(token).ConfigureAwait(false);
                lock (_lock)
                {
                    _status = _status with { CurrentSeries = key };
                    _current = null;
                }

                var progress = new Progress(this);
                var (result, failure) = await _pusher.PushAsync(origin, key, progress, _gate, token).ConfigureAwait(false);
                lock (_lock)
                {
                    _results.Add(result);
                    _current = null;
                }

                _onSeriesDone(result);
                if (failure is OperationCanceledException)
                {
                    state = PushJobState.Cancelled;
                    break;
                }

                if (failure is OrthancException ex && StopsJob.Contains(ex.Code))
                {
                    state = PushJobState.Failed;
                    stop = ex;
                    break;
                }

                if (result.Outcome != PushOutcome.Completed)
                {
                    state = PushJobState.CompletedWithErrors;
                }
            }
        }
        catch (OperationCanceledException)
        {
            state = PushJobState.Cancelled;
        }
        catch (OrthancException ex)
        {
            state = PushJobState.Failed;
            stop = ex;
        }
        finally
        {
            if (_request.OwnsFileSources)
            {
                foreach (var files in _request.Sources.Select(s => s.Origin.Files).Distinct())
                {
                    await files.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        lock (_lock)
        {
            _status = _status with { State = state, CurrentSeries = null, EndedAt = _time.GetUtcNow(), Error = stop?.ToReport(_time.GetUtcNow()) };
        }

        var final = Status;
        _logger.JobEnded(Id, final.State, final.SeriesDone, final.Uploaded);
        return final;
    }

    private static async Task<List<(SeriesOrigin Origin, string Key, long Files)>> PlanAsync(IReadOnlyList<PushJobSource> sources, CancellationToken token)
    {
        var work = new List<(SeriesOrigin, string, long)>();
        var seen = new HashSet<(string, string)>();
        foreach (var source in sources)
        {
            foreach (var key in source.SeriesKeys ?? [])
            {
                var summary = await source.Origin.Index.GetSeriesAsync(key, token).ConfigureAwait(false);
                if (seen.Add((source.Origin.SourceName, key)))
                {
                    work.Add((source.Origin, key, summary?.FileCount ?? 0));
                }
            }

            if (source.Search is { } search)
            {
                for (var offset = 0; ; offset += PageRequest.MaxLimit)
                {
                    var page = await source.Origin.Index.SearchSeriesAsync(search with { Page = new PageRequest(offset, PageRequest.MaxLimit) }, token).ConfigureAwait(false);
                    foreach (var s in page.Items.Where(s => seen.Add((source.Origin.SourceName, s.SeriesKey))))
                    {
                        work.Add((source.Origin, s.SeriesKey, s.FileCount));
                    }

                    if (page.Items.Count < PageRequest.MaxLimit)
                    {
                        break;
                    }
                }
            }
        }

        return work;
    }

    private Task<List<(SeriesOrigin Origin, string Key, long Files)>> PlanAsync(CancellationToken token) => PlanAsync(_request.Sources, token);

    /// <summary>Takes the pusher's progress synchronously (no thread-pool post per file).</summary>
    private sealed class Progress(PushJob job) : IProgress<PushProgress>
    {
        public void Report(PushProgress value)
        {
            lock (job._lock)
            {
                if (job._current is null || value.Done >= job._current.Done)
                {
                    job._current = value;
                }
            }
        }
    }
}
