using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Status;

namespace NasPacs.Indexing.Pipeline;

internal sealed partial class IndexRun
{
    private readonly Lock _publishLock = new();
    private long _lastPublishedProcessed = -1;
    private long _lastPublishedAt;
    private IndexState _lastPublishedState;

    /// <summary>
    /// Checks at every tick (ten a second) whether a chunk of files is done, and publishes if so. Ends as soon as the
    /// timer is disposed: the end of a run disposes it rather than wait up to a tick for the loop to notice.
    /// </summary>
    private async Task PublishPeriodicallyAsync(PeriodicTimer ticks)
    {
        while (await ticks.WaitForNextTickAsync().ConfigureAwait(false) && !IsTerminal(_state))
        {
            Publish(force: false);
        }
    }

    /// <summary>Takes a snapshot; when a chunk is done (or <paramref name="force"/>), raises <see cref="StatusChanged"/> and writes the status file.</summary>
    private IndexStatus Publish(bool force)
    {
        lock (_publishLock)
        {
            var now = _time.GetTimestamp();
            var processed = Volatile.Read(ref _counters.Processed);
            _filesPerSecond = _rate.Add(now, processed, _time);
            var snapshot = Snapshot();
            _status = snapshot;
            var due = processed - _lastPublishedProcessed >= _options.ChunkSize
                && _time.GetElapsedTime(_lastPublishedAt, now) >= _options.MinStatusInterval;
            if (!force && !due && snapshot.Phase == _lastPublishedState)
            {
                return snapshot;
            }

            _lastPublishedProcessed = processed;
            _lastPublishedAt = now;
            _lastPublishedState = snapshot.Phase;
            try
            {
                StatusFile.Write(_options.ResolvedStatusFilePath, snapshot);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The status file is a convenience; the index itself must not stop because its folder is read-only.
                _logger.StatusFileFailed(_options.ResolvedStatusFilePath, ex.Message);
            }

            StatusChanged?.Invoke(this, snapshot);
            return snapshot;
        }
    }

    private IndexStatus Snapshot()
    {
        var now = _time.GetUtcNow();
        var state = _state;
        var processed = Volatile.Read(ref _counters.Processed);
        var enumerated = Volatile.Read(ref _counters.Enumerated);
        DateTimeOffset? eta = null;
        if (!IsTerminal(state) && _filesPerSecond > 0)
        {
            eta = now + TimeSpan.FromSeconds(Math.Max(0, enumerated - processed) / _filesPerSecond);
        }

        return new IndexStatus
        {
            EnumeratedFiles = enumerated,
            FilesProcessed = processed,
            SeriesCount = Volatile.Read(ref _counters.SeriesCount),
            Errors = Volatile.Read(ref _counters.Errors),
            Running = !IsTerminal(state),
            LastUpdated = now,
            EstimatedCompletion = IsTerminal(state) ? now : eta,
            Phase = state,
            RunId = RunId,
            Root = _source.DisplayName,
            StartedAt = _startedAt,
            FoldersSeen = Volatile.Read(ref _counters.FoldersSeen),
            FilesSeen = Volatile.Read(ref _counters.FilesSeen),
            FilesPerSecond = Math.Round(_filesPerSecond, 1),
            BytesRead = Volatile.Read(ref _counters.BytesRead),
            NewFiles = Volatile.Read(ref _counters.New),
            ModifiedFiles = Volatile.Read(ref _counters.Modified),
            UnchangedFiles = Volatile.Read(ref _counters.Unchanged),
            RemovedFiles = Volatile.Read(ref _counters.Removed),
            NotDicomFiles = Volatile.Read(ref _counters.NotDicom),
            DicomDirFiles = Volatile.Read(ref _counters.DicomDir),
            ErrorsByCategory = _counters.ErrorsByCategory(),
            FailureMessage = _failure,
        };
    }
}
