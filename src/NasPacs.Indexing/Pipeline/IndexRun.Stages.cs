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

    /// <summary>The lookup stage: classifies each entry, skips unchanged files, queues the rest. Returns whether the walk ended on its own.</summary>
    private async Task<bool> WalkAsync(ChannelWriter<WorkItem> work, ChannelWriter<WriteCommand> writes, CancellationToken token)
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
        await foreach (var entry in _source.EnumerateAsync(enumeration, token).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _counters.FilesSeen);
            if (!_folderErrors.IsEmpty)
            {
                await DrainFolderErrorsAsync(writes).ConfigureAwait(false);
            }

            var kind = _filter.Classify(entry.RelativePath);
            if (kind != CandidateKind.Candidate)
            {
                if (kind == CandidateKind.DicomDir)
                {
                    Interlocked.Increment(ref _counters.DicomDir);
                }

                continue;
            }

            Interlocked.Increment(ref _counters.Enumerated);
            var path = entry.RelativePath;
            var slash = path.LastIndexOf('/');
            var folder = slash < 0 ? "" : path.AsSpan(0, slash);
            var existing = known.Find(folder, path.AsSpan(slash + 1));
            if (existing is { } k && k.Size == entry.Size && k.Mtime == entry.LastWriteTimeUtc.UtcTicks && k.State != IndexedFileState.Unreadable)
            {
                Interlocked.Increment(ref _counters.Unchanged);
                Interlocked.Increment(ref _counters.Processed);
                continue;
            }

            await _gate.WaitAsync(token).ConfigureAwait(false);
            await work.WriteAsync(new WorkItem(entry, slash < 0 ? "" : path[..slash], path[(slash + 1)..], existing), token).ConfigureAwait(false);
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
    }

    private async ValueTask DrainFolderErrorsAsync(ChannelWriter<WriteCommand> writes)
    {
        while (_folderErrors.TryDequeue(out var report))
        {
            await writes.WriteAsync(new ErrorCommand(report)).ConfigureAwait(false);
        }
    }

    /// <summary>A header reader: pause gate, throttle, read, hand the result to the writer.</summary>
    private async Task ReadHeadersAsync(ChannelReader<WorkItem> work, ChannelWriter<WriteCommand> writes, CancellationToken token)
    {
        while (await work.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (work.TryRead(out var item))
            {
                await _gate.WaitAsync(token).ConfigureAwait(false);
                await _throttle.WaitAsync(token).ConfigureAwait(false);
                var result = await _worker.ReadAsync(item, token).ConfigureAwait(false);

                // Not cancellable: a header that was read is written, so a cancelled run loses nothing it did.
                await writes.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes rows the complete walk did not see, except below folders that could not be listed.</summary>
    private async Task SweepAsync(ChannelWriter<WriteCommand> writes, CancellationToken token)
    {
        var failed = _failedFolders.ToArray();
        var batch = new List<long>(DeleteBatch);
        using var command = _resources.Reader.CreateCommand();
        command.CommandText = "SELECT f.id, d.path FROM files f JOIN folders d ON d.id = f.folder_id WHERE f.id <= $max";
        command.Parameters.AddWithValue("$max", _resources.Known.MaxIdAtStart);
        var unseen = new List<(long Id, string Folder)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                if (!_resources.Known.WasSeen(id))
                {
                    unseen.Add((id, reader.GetString(1)));
                }
            }
        }

        foreach (var (id, folder) in unseen)
        {
            if (token.IsCancellationRequested)
            {
                return;
            }

            if (failed.Any(f => IsSameOrBelow(folder, f)))
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

    private static bool IsSameOrBelow(string folder, string ancestor)
        => ancestor.Length == 0
            || folder.Equals(ancestor, StringComparison.Ordinal)
            || (folder.Length > ancestor.Length && folder.StartsWith(ancestor, StringComparison.Ordinal) && folder[ancestor.Length] == '/');

    private async Task FinishAsync(IndexRunOutcome outcome, Task publishing)
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
            if (outcome == IndexRunOutcome.Completed)
            {
                IndexDatabase.Execute(connection, "DELETE FROM folders WHERE NOT EXISTS (SELECT 1 FROM files WHERE files.folder_id = folders.id)");
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

        _gate.Open();
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
