using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// The only writer of a run: takes what the readers produced and commits it in batches, one transaction each, with
/// prepared commands. Series counts change in the same transaction as their files, so a kill at any moment leaves
/// an index whose counts match its rows.
/// </summary>
internal sealed partial class IndexWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly long _runId;
    private readonly RunCounters _counters;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, long> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (long Count, long Bytes)> _deltas = [];
    private readonly Statements _sql;

    /// <summary>The series the current transaction inserted (ids, first and last): their full-text rows are added before it commits.</summary>
    private (long First, long Last)? _newSeries;

    /// <summary>
    /// Whether the index may hold a report about a file. Without one there is nothing to forget when a file is read again
    /// or removed, and the writer skips the delete (an index without errors pays nothing for it).
    /// </summary>
    private bool _mayHaveFileErrors;

    /// <summary>Called after each commit, on the writer's thread.</summary>
    public Action? Committed { get; init; }

    public IndexWriter(SqliteConnection connection, long runId, RunCounters counters, TimeProvider time)
    {
        _connection = connection;
        _runId = runId;
        _counters = counters;
        _time = time;
        _sql = new Statements(connection);
        _mayHaveFileErrors = IndexDatabase.Scalar(connection, "SELECT EXISTS (SELECT 1 FROM errors WHERE path IS NOT NULL)") != 0;
    }

    /// <summary>
    /// Writes until the channel completes. Never cancelled: what reached the channel is written. A transaction waits up
    /// to <paramref name="gather"/> for more rows when fewer than a batch are there: the writer is faster than the
    /// readers, and without the wait it committed one to a few rows at a time (profiled: 1.3 page writes per file on
    /// 20,000 files), paying a commit for each.
    /// </summary>
    public async Task RunAsync(ChannelReader<WriteCommand> reader, int batchSize, TimeSpan gather)
    {
        var batch = new List<WriteCommand>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var started = _time.GetTimestamp();
            var rows = 0;
            while (true)
            {
                while (rows < batchSize && reader.TryRead(out var command))
                {
                    batch.Add(command);
                    rows += command.Rows;
                }

                var left = gather - _time.GetElapsedTime(started);
                if (rows >= batchSize || left <= TimeSpan.Zero || !await MoreWithinAsync(reader, left).ConfigureAwait(false))
                {
                    break;
                }
            }

            Write(batch);
            batch.Clear();
        }
    }

    /// <summary>Whether more commands arrive within <paramref name="left"/>; false on time-out or when the channel is done.</summary>
    private async Task<bool> MoreWithinAsync(ChannelReader<WriteCommand> reader, TimeSpan left)
    {
        var more = reader.WaitToReadAsync();
        if (more.IsCompleted)
        {
            return await more.ConfigureAwait(false);
        }

        var waiting = more.AsTask();
        await Task.WhenAny(waiting, Task.Delay(left, _time)).ConfigureAwait(false);
        return waiting.IsCompletedSuccessfully && waiting.Result;
    }

    /// <summary>Writes one batch in one transaction.</summary>
    internal void Write(IReadOnlyList<WriteCommand> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var tally = new Tally();
        using (var transaction = _connection.BeginTransaction())
        {
            _newSeries = null;
            _sql.Enlist(transaction);
            foreach (var command in batch)
            {
                switch (command)
                {
                    case FileResult result:
                        WriteFile(result, now, ref tally);
                        break;
                    case FileResults results:
                        foreach (var result in results.Results)
                        {
                            WriteFile(result, now, ref tally);
                        }

                        break;
                    case DeleteCommand delete:
                        foreach (var id in delete.FileIds)
                        {
                            tally.Removed += DeleteFile(id);
                        }

                        break;
                    case ErrorCommand error:
                        InsertError(error.Error);
                        tally.AddError(error.Error.Category);
                        break;
                }
            }

            AddNewSeriesText();
            tally.SeriesRemoved = ApplySeriesDeltas(now);
            transaction.Commit();
        }

        Committed?.Invoke();
        tally.AddTo(_counters);
    }

    private void WriteFile(FileResult result, long now, ref Tally tally)
    {
        var item = result.Item;
        var folderId = Folder(item.Folder);
        long? seriesId = result is { State: IndexedFileState.Indexed, SeriesKey: { } key, Series: { } values } ? Series(key, values, now, ref tally) : null;
        var written = true;
        if (item.Known is { } known)
        {
            // A file read again replaces what was reported about it: a copy made whole leaves no error behind, one still
            // broken keeps exactly one (inserted below).
            ForgetErrors(item.Entry.RelativePath);
            if (known is { State: IndexedFileState.Indexed, SeriesId: { } oldSeries })
            {
                AddDelta(oldSeries, -1, -known.Size);
            }

            if (result.Vanished)
            {
                _sql.DeleteFileById.Parameters[0].Value = known.Id;
                _sql.DeleteFileById.ExecuteNonQuery();
                tally.Removed++;
                written = false;
            }
            else
            {
                _sql.UpdateFile.Execute(result, folderId, seriesId, _runId, known.Id);
                tally.Modified++;
            }
        }
        else if (!result.Vanished)
        {
            // A source that lists one path twice must not produce two rows or count a file twice.
            written = _sql.InsertFile.Execute(result, folderId, seriesId, _runId) == 1;
            tally.New += written ? 1 : 0;
        }
        else
        {
            written = false;
        }

        if (written && seriesId is { } id)
        {
            AddDelta(id, 1, item.Entry.Size);
        }

        if (written && result.State == IndexedFileState.NotDicom)
        {
            tally.NotDicom++;
        }
        else if (written && result.State == IndexedFileState.DicomDir)
        {
            tally.DicomDir++;
        }

        if (result.Error is { } error)
        {
            InsertError(error);
            tally.AddError(error.Category);
        }

        tally.Processed++;
        tally.BytesRead += result.BytesRead;
    }

    private int DeleteFile(long id)
    {
        if (_mayHaveFileErrors)
        {
            // A removed file takes its reports with it.
            _sql.DeleteErrorsOfFile.Parameters[0].Value = id;
            _sql.DeleteErrorsOfFile.ExecuteNonQuery();
        }

        _sql.DeleteFileReturning.Parameters[0].Value = id;
        using var reader = _sql.DeleteFileReturning.ExecuteReader();
        if (!reader.Read())
        {
            return 0;
        }

        if (!reader.IsDBNull(0) && reader.GetInt32(2) == (int)IndexedFileState.Indexed)
        {
            AddDelta(reader.GetInt64(0), -1, -reader.GetInt64(1));
        }

        return 1;
    }

    private long Folder(string path)
    {
        if (_folders.TryGetValue(path, out var id))
        {
            return id;
        }

        if (_folders.Count > 100_000)
        {
            _folders.Clear();
        }

        _sql.InsertFolder.Parameters[0].Value = path;
        _sql.InsertFolder.ExecuteNonQuery();
        _sql.SelectFolder.Parameters[0].Value = path;
        id = (long)_sql.SelectFolder.ExecuteScalar()!;
        _folders[path] = id;
        return id;
    }

    private long Series(string key, DicomValueSnapshot values, long now, ref Tally tally)
    {
        if (_series.TryGetValue(key, out var id))
        {
            return id;
        }

        if (_series.Count > 200_000)
        {
            _series.Clear();
        }

        if (_sql.SelectSeries.Find(key) is { } existing)
        {
            id = existing;
        }
        else
        {
            id = _sql.InsertSeries.Insert(SeriesFields.FromSnapshot(values, key), now);
            _newSeries = (_newSeries?.First ?? id, id);
            tally.SeriesAdded++;
        }

        _series[key] = id;
        return id;
    }

    /// <summary>
    /// Adds the full-text rows of the series this transaction inserted, in one statement (schema V004). A new series
    /// gets an id above every existing one, so the ids from the first new series to the last are this transaction's.
    /// Before the counts are applied, so that a series emptied in the same transaction has its row when the delete
    /// trigger removes it.
    /// </summary>
    private void AddNewSeriesText()
    {
        if (_newSeries is not { } added)
        {
            return;
        }

        _sql.InsertSeriesText.Parameters["$first"].Value = added.First;
        _sql.InsertSeriesText.Parameters["$last"].Value = added.Last;
        _sql.InsertSeriesText.ExecuteNonQuery();
        _newSeries = null;
    }

    private void AddDelta(long seriesId, long count, long bytes)
    {
        var current = _deltas.GetValueOrDefault(seriesId);
        _deltas[seriesId] = (current.Count + count, current.Bytes + bytes);
    }

    private int ApplySeriesDeltas(long now)
    {
        var removed = 0;
        foreach (var (id, (count, bytes)) in _deltas)
        {
            _sql.UpdateSeriesCounts.Add(id, count, bytes, now);
            if (count < 0)
            {
                _sql.DeleteEmptySeries.Parameters[0].Value = id;
                removed += _sql.DeleteEmptySeries.ExecuteNonQuery();
            }
        }

        if (removed > 0)
        {
            // The key of a removed series must not map to its old id if the series comes back.
            _series.Clear();
        }

        _deltas.Clear();
        return removed;
    }

    private void ForgetErrors(string path)
    {
        if (_mayHaveFileErrors)
        {
            _sql.DeleteErrorsOfPath.Bind(1, path);
            _sql.DeleteErrorsOfPath.Execute();
        }
    }

    private void InsertError(ErrorReport error)
    {
        _mayHaveFileErrors |= error.Path is not null;
        var p = _sql.InsertError.Parameters;
        p["$run"].Value = _runId;
        p["$category"].Value = error.Category.ToString();
        p["$code"].Value = error.Code;
        p["$message"].Value = error.Message;
        p["$suggestion"].Value = error.Suggestion;
        p["$path"].Value = (object?)error.Path ?? DBNull.Value;
        p["$timestamp"].Value = error.Timestamp.ToUnixTimeMilliseconds();
        p["$retry"].Value = error.RetryCount;
        p["$transient"].Value = error.IsTransient ? 1 : 0;
        _sql.InsertError.ExecuteNonQuery();
    }

    public void Dispose() => _sql.Dispose();

    /// <summary>Counts of one transaction, added to the run's counters only after it commits.</summary>
    private struct Tally
    {
        public long Processed;
        public long New;
        public long Modified;
        public long Removed;
        public long NotDicom;
        public long DicomDir;
        public long BytesRead;
        public long SeriesAdded;
        public long SeriesRemoved;
        public List<ErrorCategory>? Errors;

        public void AddError(ErrorCategory category) => (Errors ??= []).Add(category);

        public readonly void AddTo(RunCounters counters)
        {
            Interlocked.Add(ref counters.Processed, Processed);
            Interlocked.Add(ref counters.New, New);
            Interlocked.Add(ref counters.Modified, Modified);
            Interlocked.Add(ref counters.Removed, Removed);
            Interlocked.Add(ref counters.NotDicom, NotDicom);
            Interlocked.Add(ref counters.DicomDir, DicomDir);
            Interlocked.Add(ref counters.BytesRead, BytesRead);
            Interlocked.Add(ref counters.SeriesCount, SeriesAdded - SeriesRemoved);
            Interlocked.Add(ref counters.SeriesAdded, SeriesAdded);
            foreach (var category in Errors ?? [])
            {
                counters.AddError(category);
            }
        }
    }
}
