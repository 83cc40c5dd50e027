using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Pipeline;

internal sealed partial class IndexRun
{
    private const int DeleteBatch = 1000;

    /// <summary>Files handed to a reader at once at most.</summary>
    private const int WorkBatch = 8;

    /// <summary>Unchanged files between two updates of the shared counters.</summary>
    private const int CountEvery = 256;

    /// <summary>
    /// The lookup stage: classifies each entry, skips unchanged files, queues the rest in small batches. Returns whether
    /// the walk ended on its own.
    /// </summary>
    /// <remarks>
    /// One channel hand-off per file woke a reader (or the walk) per file; a batch of up to <see cref="WorkBatch"/> files
    /// pays it once. A batch goes out early whenever the readers could be idle (fewer batches queued than readers) or
    /// the walk itself is about to wait, so a slow share never leaves readers waiting on a half-filled batch.
    /// </remarks>
    private async Task<bool> WalkAsync(ChannelWriter<List<WorkItem>> work, ChannelReader<List<WorkItem>> queued, ChannelWriter<WriteCommand> writes, CancellationToken token)
    {
        var enumeration = new FileEnumerationOptions
        {
            MaxParallelism = _options.EnumerationParallelism,
            SkipHidden = true,
            ShouldEnterDirectory = _filter.ShouldEnterDirectory,
            OnError = report =>
            {
                var path = report.Path ?? "";
                _failedFolders.Add(path);
                if (path.Length == 0)
                {
                    _rootFailed = true;
                }

                _folderErrors.Enqueue(report);
            },
            OnProgress = progress => Volatile.Write(ref _counters.FoldersSeen, progress.FoldersListed),
        };

        var known = _resources.Known;
        var pending = new List<WorkItem>(WorkBatch);
        var lastFolder = "";
        long seen = 0, enumerated = 0, unchanged = 0, dicomDir = 0;
        await using var entries = _source.EnumerateAsync(enumeration, token).GetAsyncEnumerator(token);
        while (true)
        {
            var next = entries.MoveNextAsync();
            if (!next.IsCompleted)
            {
                // The walk must wait for the source: hand over what is pending and publish the counts first.
                Flush(ref seen, ref enumerated, ref unchanged, ref dicomDir);
                if (pending.Count > 0)
                {
                    await SendAsync().ConfigureAwait(false);
                }
            }

            if (!await next.ConfigureAwait(false))
            {
                break;
            }

            var entry = entries.Current;
            seen++;
            if (!_folderErrors.IsEmpty)
            {
                await DrainFolderErrorsAsync(writes).ConfigureAwait(false);
            }

            var kind = _filter.Classify(entry.RelativePath);
            if (kind != CandidateKind.Candidate)
            {
                dicomDir += kind == CandidateKind.DicomDir ? 1 : 0;
                continue;
            }

            enumerated++;
            var path = entry.RelativePath;
            var slash = path.LastIndexOf('/');
            var folder = slash < 0 ? "" : path.AsSpan(0, slash);
            var existing = known.Find(folder, path.AsSpan(slash + 1));
            if (existing is { } k && k.Size == entry.Size && k.Mtime == entry.LastWriteTimeUtc.UtcTicks && k.State != IndexedFileState.Unreadable)
            {
                unchanged++;
                if (unchanged % CountEvery == 0)
                {
                    Flush(ref seen, ref enumerated, ref unchanged, ref dicomDir);
                }

                continue;
            }

            if (!folder.SequenceEqual(lastFolder))
            {
                // The walk lists a folder's files together: one string per folder, not per file.
                lastFolder = folder.ToString();
            }

            pending.Add(new WorkItem(entry, lastFolder, existing));
            if (pending.Count >= WorkBatch || queued.Count < _options.MaxWorkers)
            {
                Flush(ref seen, ref enumerated, ref unchanged, ref dicomDir);
                await SendAsync().ConfigureAwait(false);
            }
        }

        Flush(ref seen, ref enumerated, ref unchanged, ref dicomDir);
        if (pending.Count > 0)
        {
            await SendAsync().ConfigureAwait(false);
        }

        await DrainFolderErrorsAsync(writes).ConfigureAwait(false);
        lock (_stateLock)
        {
            if (_state == IndexState.Enumerating)
            {
                _state = IndexState.Indexing;
            }
            else if (_state == IndexState.Paused)
            {
                _stateBeforePause = IndexState.Indexing;
            }
        }

        Publish(force: true);
        return true;

        async ValueTask SendAsync()
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
            await work.WriteAsync(pending, token).ConfigureAwait(false);
            pending = new List<WorkItem>(WorkBatch);
        }
    }

    /// <summary>Adds the walk's local counts to the shared counters (one interlocked add per batch, not four per file).</summary>
    private void Flush(ref long seen, ref long enumerated, ref long unchanged, ref long dicomDir)
    {
        Interlocked.Add(ref _counters.FilesSeen, seen);
        Interlocked.Add(ref _counters.Enumerated, enumerated);
        Interlocked.Add(ref _counters.Unchanged, unchanged);
        Interlocked.Add(ref _counters.Processed, unchanged);
        Interlocked.Add(ref _counters.DicomDir, dicomDir);
        seen = enumerated = unchanged = dicomDir = 0;
    }

    private async ValueTask DrainFolderErrorsAsync(ChannelWriter<WriteCommand> writes)
    {
        while (_folderErrors.TryDequeue(out var report))
        {
            await writes.WriteAsync(new ErrorCommand(report)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A header reader: pause gate, throttle, read; the results of one batch of work go to the writer together. Before
    /// any wait (a closed gate, the throttle) the results so far go out, so a paused or throttled run shows all it did.
    /// </summary>
    private async Task ReadHeadersAsync(ChannelReader<List<WorkItem>> work, ChannelWriter<WriteCommand> writes, CancellationToken token)
    {
        while (await work.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (work.TryRead(out var batch))
            {
                var results = new List<FileResult>(batch.Count);
                foreach (var item in batch)
                {
                    results = await PassGateAsync(writes, results, token).ConfigureAwait(false);
                    var allowed = _throttle.WaitAsync(token);
                    var throttled = !allowed.IsCompleted;
                    if (throttled && results.Count > 0)
                    {
                        results = await HandOverAsync(writes, results).ConfigureAwait(false);
                    }

                    await allowed.ConfigureAwait(false);
                    if (throttled)
                    {
                        // A throttled reader can wait a while (a slow rate shared by all readers): a pause that came
                        // meanwhile holds it before the read, not after (it read up to one file per reader when paused).
                        results = await PassGateAsync(writes, results, token).ConfigureAwait(false);
                    }

                    results.Add(await _worker.ReadAsync(item, token).ConfigureAwait(false));
                }

                await HandOverAsync(writes, results).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits while the run is paused, after handing what was read so far to the writer (a paused run shows all it did).</summary>
    private async ValueTask<List<FileResult>> PassGateAsync(ChannelWriter<WriteCommand> writes, List<FileResult> results, CancellationToken token)
    {
        var open = _gate.WaitAsync(token);
        if (!open.IsCompleted && results.Count > 0)
        {
            results = await HandOverAsync(writes, results).ConfigureAwait(false);
        }

        await open.ConfigureAwait(false);
        return results;
    }

    /// <summary>Gives a reader's results to the writer and returns a fresh list.</summary>
    private static async ValueTask<List<FileResult>> HandOverAsync(ChannelWriter<WriteCommand> writes, List<FileResult> results)
    {
        if (results.Count > 0)
        {
            // Not cancellable: a header that was read is written, so a cancelled run loses nothing it did.
            await writes.WriteAsync(new FileResults(results), CancellationToken.None).ConfigureAwait(false);
        }

        return new List<FileResult>(results.Capacity);
    }

    /// <summary>Removes rows the complete walk did not see, except below folders that could not be listed.</summary>
    private async Task SweepAsync(ChannelWriter<WriteCommand> writes, CancellationToken token)
    {
        var failed = _failedFolders.ToArray();
        var batch = new List<long>(DeleteBatch);
        var known = _resources.Known;

        // Ids only: a re-index sees every row, and reading each row's folder path cost a string per file for nothing.
        var unseen = new List<(long Id, long FolderId)>();
        using (var command = _resources.Reader.CreateCommand())
        {
            command.CommandText = "SELECT id, folder_id FROM files WHERE id <= $max";
            command.Parameters.AddWithValue("$max", known.MaxIdAtStart);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!known.WasSeen(id))
                {
                    unseen.Add((id, reader.GetInt64(1)));
                }
            }
        }

        var folders = failed.Length == 0 ? null : FolderPaths(unseen.Select(u => u.FolderId).Distinct());
        foreach (var (id, folderId) in unseen)
        {
            if (token.IsCancellationRequested)
            {
                return;
            }

            if (folders is not null && failed.Any(f => IsSameOrBelow(folders[folderId], f)))
            {
                continue;
            }

            batch.Add(id);
            if (batch.Count == DeleteBatch)
            {
                await writes.WriteAsync(new DeleteCommand(batch), CancellationToken.None).ConfigureAwait(false);
                batch = new List<long>(DeleteBatch);
            }
        }

        if (batch.Count > 0)
        {
            await writes.WriteAsync(new DeleteCommand(batch), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The paths of some folders, by id (only needed when a folder could not be listed).</summary>
    private Dictionary<long, string> FolderPaths(IEnumerable<long> ids)
    {
        var paths = new Dictionary<long, string>();
        using var command = _resources.Reader.CreateCommand();
        command.CommandText = "SELECT path FROM folders WHERE id = $id";
        var id = command.Parameters.Add(new SqliteParameter("$id", 0L));
        foreach (var folderId in ids)
        {
            id.Value = folderId;
            paths[folderId] = command.ExecuteScalar() as string ?? "";
        }

        return paths;
    }

    private static bool IsSameOrBelow(string folder, string ancestor)
        => ancestor.Length == 0
            || folder.Equals(ancestor, StringComparison.Ordinal)
            || (folder.Length > ancestor.Length && folder.StartsWith(ancestor, StringComparison.Ordinal) && folder[ancestor.Length] == '/');

    private async Task FinishAsync(IndexRunOutcome outcome, PeriodicTimer ticks, Task publishing)
    {
        var state = outcome switch
        {
            IndexRunOutcome.Completed => IndexState.Completed,
            IndexRunOutcome.Cancelled => IndexState.Cancelled,
            _ => IndexState.Failed,
        };
        try
        {
            var connection = _resources.Writer;
            if (outcome == IndexRunOutcome.Completed && Volatile.Read(ref _counters.Removed) > 0)
            {
                // Only a removed file can leave its folder empty. The check probes every folder (a few ms per 2,000
                // folders), so a run that removed nothing skips it; an empty folder row left by a killed run is harmless
                // (nothing lists folders) and goes with the next run that removes a file.
                IndexDatabase.Execute(connection, "DELETE FROM folders WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.folder_id = folders.id)");
            }

            var added = Volatile.Read(ref _counters.SeriesAdded);
            if (added > 0 && added * 4 >= Volatile.Read(ref _counters.SeriesCount))
            {
                // Merges the full-text index's segments (one per write transaction that added series) so that searches
                // read one b-tree. It rewrites the whole full-text index, so only after a run that added a quarter of
                // the series or more (a first index, a large import); FTS5's automerge keeps small additions in check.
                IndexDatabase.Execute(connection, "INSERT INTO series_fts (series_fts) VALUES ('optimize')");
            }

            RecordRun(connection, outcome);
            IndexDatabase.Execute(connection, "PRAGMA optimize");
        }
        catch (SqliteException ex)
        {
            _failure ??= $"The run could not be recorded: {ex.Message}";
            state = IndexState.Failed;
        }

        lock (_stateLock)
        {
            _state = state;
        }

        _gate.Resume();
        ticks.Dispose();
        await publishing.ConfigureAwait(false);
        var final = Publish(force: true);
        _logger.RunFinished(RunId, state, _counters.Processed, _counters.New, _counters.Modified, _counters.Unchanged, _counters.Removed, _counters.Errors);
        _resources.Dispose();
        _completion.TrySetResult(final);
    }

    private void RecordRun(SqliteConnection connection, IndexRunOutcome outcome)
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE runs SET ended_at = $ended, outcome = $outcome, enumerated = $enumerated, processed = $processed, new_files = $new, " +
            "modified_files = $modified, unchanged_files = $unchanged, removed_files = $removed, not_dicom_files = $notdicom, errors = $errors, " +
            "bytes_read = $bytes WHERE id = $id";
        command.Parameters.AddWithValue("$ended", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$outcome", outcome.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$enumerated", _counters.Enumerated);
        command.Parameters.AddWithValue("$processed", _counters.Processed);
        command.Parameters.AddWithValue("$new", _counters.New);
        command.Parameters.AddWithValue("$modified", _counters.Modified);
        command.Parameters.AddWithValue("$unchanged", _counters.Unchanged);
        command.Parameters.AddWithValue("$removed", _counters.Removed);
        command.Parameters.AddWithValue("$notdicom", _counters.NotDicom);
        command.Parameters.AddWithValue("$errors", _counters.Errors);
        command.Parameters.AddWithValue("$bytes", _counters.BytesRead);
        command.Parameters.AddWithValue("$id", RunId);
        command.ExecuteNonQuery();
    }
}
