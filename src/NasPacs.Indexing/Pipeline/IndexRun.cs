using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Abstractions.Jobs;
using NasPacs.Indexing.Status;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Pipeline;

/// <summary>
/// One run: the walk feeds a lookup stage (unchanged files stop there), a bounded channel feeds N header readers, and a
/// second bounded channel feeds the single writer. After a complete walk, rows the walk did not see are swept.
/// </summary>
internal sealed partial class IndexRun : IIndexRun
{
    private readonly IFileSource _source;
    private readonly IndexingOptions _options;
    private readonly ICandidateFilter _filter;
    private readonly HeaderWorker _worker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RunResources _resources;
    private readonly RunCounters _counters = new();
    private readonly PauseGate _gate = new();
    private readonly Throttle _throttle;
    private readonly CancellationTokenSource _cancel;
    private readonly ConcurrentQueue<ErrorReport> _folderErrors = new();
    private readonly ConcurrentBag<string> _failedFolders = [];
    private readonly Lock _stateLock = new();
    private readonly TaskCompletionSource<IndexStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RateWindow _rate = new(TimeSpan.FromSeconds(5));
    private readonly DateTimeOffset _startedAt;
    private IndexState _state = IndexState.Enumerating;
    private IndexState _stateBeforePause = IndexState.Enumerating;
    private volatile bool _rootFailed;
    private double _filesPerSecond;
    private string? _failure;
    private volatile IndexStatus _status;

    public IndexRun(
        IFileSource source,
        IndexingOptions options,
        ICandidateFilter filter,
        HeaderWorker worker,
        Throttle throttle,
        TimeProvider time,
        ILogger logger,
        RunResources resources,
        long runId,
        long seriesCount,
        CancellationToken cancellationToken)
    {
        _source = source;
        _options = options;
        _filter = filter;
        _worker = worker;
        _throttle = throttle;
        _time = time;
        _logger = logger;
        _resources = resources;
        RunId = runId;
        _counters.SeriesCount = seriesCount;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _startedAt = time.GetUtcNow();
        _status = Snapshot();
    }

    public long RunId { get; }

    public IndexStatus Status => _status;

    public event EventHandler<IndexStatus>? StatusChanged;

    public Task<IndexStatus> Completion => _completion.Task;

    public void Start() => _ = Task.Run(RunToEndAsync);

    public void Pause()
    {
        lock (_stateLock)
        {
            if (_state is not (IndexState.Enumerating or IndexState.Indexing))
            {
                return;
            }

            _stateBeforePause = _state;
            _state = IndexState.Paused;
            _gate.Pause();
        }

        Publish(force: true);
    }

    public void Resume()
    {
        lock (_stateLock)
        {
            if (_state != IndexState.Paused)
            {
                return;
            }

            _state = _stateBeforePause;
            _throttle.Restart();
            _gate.Resume();
        }

        Publish(force: true);
    }

    public void Cancel()
    {
        lock (_stateLock)
        {
            if (IsTerminal(_state) || _state == IndexState.Cancelling)
            {
                return;
            }

            _state = IndexState.Cancelling;
        }

        _cancel.Cancel();
        _gate.Resume();
        Publish(force: true);
    }

    public async ValueTask DisposeAsync()
    {
        Cancel();
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Disposing a failed run is not a new failure; the outcome is in Completion and in the runs table.
        }

        _cancel.Dispose();
    }

    private static bool IsTerminal(IndexState state) => state is IndexState.Completed or IndexState.Failed or IndexState.Cancelled;

    private async Task RunAsync()
    {
        var token = _cancel.Token;
        var work = Channel.CreateBounded<List<WorkItem>>(new BoundedChannelOptions(_options.MaxWorkers * 64 / WorkBatch) { SingleWriter = true });
        // Bounded in files, not commands: a reader hands over up to a work batch of results at once, each with its header.
        var writes = Channel.CreateBounded<WriteCommand>(new BoundedChannelOptions(Math.Max(2, _options.WriteBatchSize * 2 / WorkBatch)) { SingleReader = true });
        using var writer = new IndexWriter(_resources.Writer, RunId, _counters, _time) { Committed = _resources.Checkpointer.Signal };
        var writing = Task.Run(async () =>
        {
            try
            {
                await writer.RunAsync(writes.Reader, _options.WriteBatchSize, _options.WriteGatherTime).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The index cannot be written (disk full, I/O error): stop everything and fail the run.
                _failure = $"The index could not be written: {ex.Message}";
                writes.Writer.TryComplete(ex);
                await _cancel.CancelAsync().ConfigureAwait(false);
                throw;
            }
        });
        var readers = Enumerable.Range(0, _options.MaxWorkers).Select(_ => Task.Run(() => GuardAsync(() => ReadHeadersAsync(work.Reader, writes.Writer, token)))).ToArray();
        var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(100), _time);
        var publishing = PublishPeriodicallyAsync(ticks);
        var walkComplete = false;
        _logger.RunStarted(RunId, _source.DisplayName);
        try
        {
            walkComplete = await WalkAsync(work.Writer, work.Reader, writes.Writer, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is FileSourceException or IOException or UnauthorizedAccessException or SqliteException)
        {
            _failure ??= $"The walk stopped: {ex.Message}";
        }
        finally
        {
            work.Writer.TryComplete();
        }

        await WhenAllQuietly(readers).ConfigureAwait(false);
        if (walkComplete && _failure is null && !_rootFailed && !token.IsCancellationRequested)
        {
            if (EmptyRootProblem() is { } problem)
            {
                _failure = problem;
            }
            else
            {
                await SweepAsync(writes.Writer, token).ConfigureAwait(false);
            }
        }

        writes.Writer.TryComplete();
        await WhenAllQuietly([writing]).ConfigureAwait(false);

        // The writer's statements go before the connections close (in FinishAsync): a connection closed with statements
        // still prepared stays open as a zombie, and the process could end before the last close, which is what copies
        // the WAL into the database and removes it. The next run then had to rebuild the WAL index from the whole WAL.
        writer.Dispose();
        var outcome = Outcome(walkComplete);
        await FinishAsync(outcome, ticks, publishing).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the run and makes sure <see cref="Completion"/> ends: an unexpected exception in the run's own code (the stages
    /// have <see cref="GuardAsync"/>; this covers the rest, its end included) fails <see cref="Completion"/> with it and
    /// lets go of the index, instead of leaving a caller that awaits the run waiting forever.
    /// </summary>
    private async Task RunToEndAsync()
    {
        try
        {
            await RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure ??= UnexpectedError(ex);
            try
            {
                _logger.StageFailed(ex);
                lock (_stateLock)
                {
                    _state = IndexState.Failed;
                }

                _status = Snapshot();
                _resources.Dispose();
            }
            finally
            {
                // Whatever the clean-up does, Completion ends: a caller awaiting the run must never wait forever.
                _completion.TrySetException(ex);
            }
        }
    }

    /// <summary>Runs a stage; a bug or an unexpected failure in it fails the run instead of leaving the others waiting.</summary>
    private async Task GuardAsync(Func<Task> stage)
    {
        try
        {
            await stage().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException) when (_failure is not null)
        {
        }
        catch (Exception ex)
        {
            _failure ??= UnexpectedError(ex);
            _logger.StageFailed(ex);
            await _cancel.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Why the sweep must not run: a root with no DICOM file left whose index holds files (see <see cref="IndexingOptions.AllowEmptyRoot"/>).</summary>
    private string? EmptyRootProblem()
    {
        if (_options.AllowEmptyRoot || Volatile.Read(ref _counters.Enumerated) > 0 || _resources.Known.MaxIdAtStart == 0)
        {
            return null;
        }

        var indexed = IndexDatabase.Scalar(_resources.Reader, "SELECT COUNT(*) FROM files");
        return indexed == 0 ? null : string.Create(
            CultureInfo.InvariantCulture,
            $"No DICOM file was found in {_source.DisplayName}, but the index holds {indexed:N0} files from it: the share may not be mounted, or the folder was emptied. Nothing was removed from the index. If the files are really gone, index again allowing an empty root (naspacs index --allow-empty-root; NasPacs:Indexing:AllowEmptyRoot on the server).");
    }

    private static string UnexpectedError(Exception ex) => $"Indexing stopped on an unexpected error: {ex.GetType().Name}: {ex.Message}";

    private IndexRunOutcome Outcome(bool walkComplete)
    {
        if (_failure is not null)
        {
            return IndexRunOutcome.Failed;
        }

        if (_rootFailed)
        {
            _failure = "The root folder could not be listed; nothing was removed from the index.";
            return IndexRunOutcome.Failed;
        }

        return walkComplete && !_cancel.IsCancellationRequested ? IndexRunOutcome.Completed : IndexRunOutcome.Cancelled;
    }

    private static async Task WhenAllQuietly(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException or SqliteException or IOException)
        {
            // Cancellation and writer failures are recorded in _failure and the state; the run still finishes cleanly.
        }
    }
}
