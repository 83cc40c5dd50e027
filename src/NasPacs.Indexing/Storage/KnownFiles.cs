using System.Collections;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Pipeline;
using SQLitePCL;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// Answers "what did the index hold for this file?" for the run's single lookup stage. One query loads a whole folder
/// (walks deliver a folder's files together), and a few recent folders stay cached; the hot path is a table probe by span.
/// Also remembers which pre-existing rows the walk saw, for the sweep.
/// </summary>
/// <remarks>
/// The folder query runs through <c>SQLitePCL.raw</c> on the connection's handle and names are read as UTF-8 bytes into a
/// reused <see cref="FolderFiles"/>: through <see cref="SqliteDataReader"/> every value cost two or three native calls
/// (type check, bounds check, value) and every name a string, once per file of every re-index (perf, 1,000,000 files).
/// </remarks>
internal sealed class KnownFiles : IDisposable
{
    private const int CachedFolders = 64;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _load;
    private readonly Dictionary<string, FolderFiles> _cache = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly BitArray _seen;
    private string _lastFolder = "";
    private FolderFiles? _lastFiles;
    private FolderFiles? _spare;

    public KnownFiles(SqliteConnection connection)
    {
        MaxIdAtStart = IndexDatabase.Scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM files");
        _seen = new BitArray(checked((int)(MaxIdAtStart + 1)));
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(
            _db,
            "SELECT f.id, f.name, f.size, f.mtime, f.state, f.series_id FROM files f JOIN folders d ON d.id = f.folder_id WHERE d.path = $path",
            out _load));
    }

    /// <summary>The largest file id when the run started; rows above it were written by this run.</summary>
    public long MaxIdAtStart { get; }

    /// <summary>
    /// Finds a file and marks it seen. Takes spans so that an unchanged file, the common case of a re-index, costs two
    /// probes and no string: the walk hands out whole relative paths, and cutting them would allocate twice per file.
    /// </summary>
    public KnownFile? Find(ReadOnlySpan<char> folder, ReadOnlySpan<char> name)
    {
        if (_lastFiles is null || !folder.SequenceEqual(_lastFolder))
        {
            if (!_cache.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(folder, out var key, out var cached))
            {
                key = folder.ToString();
                cached = Load(key);
            }

            (_lastFolder, _lastFiles) = (key, cached);
        }

        if (!_lastFiles.TryGet(name, out var known))
        {
            return null;
        }

        // A folder reloaded after eviction may hold rows this run wrote; they are above the bitmap and never swept.
        if (known.Id <= MaxIdAtStart)
        {
            _seen[(int)known.Id] = true;
        }

        return known;
    }

    /// <summary>Whether the walk saw a row that existed at the start.</summary>
    public bool WasSeen(long id) => id > MaxIdAtStart || _seen[(int)id];

    private FolderFiles Load(string folder)
    {
        FolderFiles files;
        if (_order.Count >= CachedFolders)
        {
            var evicted = _order.Dequeue();
            _cache.Remove(evicted, out var reused);
            files = reused!;
        }
        else
        {
            files = _spare ?? new FolderFiles();
            _spare = null;
        }

        files.Clear();
        try
        {
            // The root is '' and must be bound as text, not as an empty span (which SQLite would take for NULL).
            Check(raw.sqlite3_bind_text(_load, 1, folder));
            int result;
            while ((result = raw.sqlite3_step(_load)) == raw.SQLITE_ROW)
            {
                // series_id is NULL for files without a series; ids start at 1, so 0 cannot be a series.
                var series = raw.sqlite3_column_int64(_load, 5);
                files.Add(
                    raw.sqlite3_column_blob(_load, 1),
                    new KnownFile(
                        raw.sqlite3_column_int64(_load, 0),
                        raw.sqlite3_column_int64(_load, 2),
                        raw.sqlite3_column_int64(_load, 3),
                        (IndexedFileState)raw.sqlite3_column_int(_load, 4),
                        series == 0 ? null : series));
            }

            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
        }
        catch
        {
            // The buffers were cleared for this folder: nothing may still find the folder that held them before.
            (_spare, _lastFiles) = (files, null);
            throw;
        }
        finally
        {
            raw.sqlite3_reset(_load);
        }

        files.Seal();
        _cache[folder] = files;
        _order.Enqueue(folder);
        return files;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }

    public void Dispose() => _load.Dispose();
}
