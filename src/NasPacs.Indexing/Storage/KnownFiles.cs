using System.Collections;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// Answers "what did the index hold for this file?" for the run's single lookup stage. One query loads a whole folder
/// (walks deliver a folder's files together), and a few recent folders stay cached; the hot path is a table probe by span.
/// Also remembers which pre-existing rows the walk saw, for the sweep.
/// </summary>
/// <remarks>
/// The folder query runs through <see cref="PreparedStatement"/> (<c>SQLitePCL.raw</c>) and names are read as UTF-8 bytes
/// into a reused <see cref="FolderFiles"/>: through <see cref="SqliteDataReader"/> every value cost two or three native calls
/// (type check, bounds check, value) and every name a string, once per file of every re-index (perf, 1,000,000 files).
/// </remarks>
internal sealed class KnownFiles : IDisposable
{
    private const int CachedFolders = 64;

    private readonly PreparedStatement _load;
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
        _load = new PreparedStatement(
            connection,
            "SELECT f.id, f.name, f.size, f.mtime, f.state, f.series_id FROM files f JOIN folders d ON d.id = f.folder_id WHERE d.path = $path");
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
            // The root is '' and is bound as '' (Bind keeps an empty string as text, not NULL).
            _load.Bind(1, folder);
            while (_load.Read())
            {
                // series_id is NULL for files without a series; ids start at 1, so 0 cannot be a series.
                var series = _load.Int64(5);
                files.Add(
                    _load.Bytes(1),
                    new KnownFile(_load.Int64(0), _load.Int64(2), _load.Int64(3), (IndexedFileState)_load.Int64(4), series == 0 ? null : series));
            }
        }
        catch
        {
            // The buffers were cleared for this folder: nothing may still find the folder that held them before.
            (_spare, _lastFiles) = (files, null);
            throw;
        }
        finally
        {
            _load.Reset();
        }

        files.Seal();
        _cache[folder] = files;
        _order.Enqueue(folder);
        return files;
    }

    public void Dispose() => _load.Dispose();
}
