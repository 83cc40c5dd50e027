using System.Collections;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// Answers "what did the index hold for this file?" for the run's single lookup stage. One query loads a whole folder
/// (walks deliver a folder's files together), and a few recent folders stay cached; the hot path is a dictionary hit.
/// Also remembers which pre-existing rows the walk saw, for the sweep.
/// </summary>
internal sealed class KnownFiles : IDisposable
{
    private const int CachedFolders = 64;

    private readonly SqliteCommand _load;
    private readonly Dictionary<string, Dictionary<string, KnownFile>> _cache = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly BitArray _seen;
    private string _lastFolder = "";
    private Dictionary<string, KnownFile>? _lastFiles;

    public KnownFiles(SqliteConnection connection)
    {
        MaxIdAtStart = IndexDatabase.Scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM files");
        _seen = new BitArray(checked((int)(MaxIdAtStart + 1)));
        _load = connection.CreateCommand();
        _load.CommandText =
            "SELECT f.id, f.name, f.size, f.mtime, f.state, f.series_id FROM files f JOIN folders d ON d.id = f.folder_id WHERE d.path = $path";
        _load.Parameters.Add(new SqliteParameter("$path", ""));
    }

    /// <summary>The largest file id when the run started; rows above it were written by this run.</summary>
    public long MaxIdAtStart { get; }

    /// <summary>
    /// Finds a file and marks it seen. Takes spans so that an unchanged file, the common case of a re-index, costs two
    /// dictionary probes and no string: the walk hands out whole relative paths, and cutting them would allocate twice per file.
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

        if (!_lastFiles.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known))
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

    private Dictionary<string, KnownFile> Load(string folder)
    {
        var files = new Dictionary<string, KnownFile>(StringComparer.Ordinal);
        _load.Parameters[0].Value = folder;
        using (var reader = _load.ExecuteReader())
        {
            while (reader.Read())
            {
                files[reader.GetString(1)] = new KnownFile(
                    reader.GetInt64(0),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    (IndexedFileState)reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5));
            }
        }

        if (_order.Count >= CachedFolders)
        {
            _cache.Remove(_order.Dequeue());
        }

        _cache[folder] = files;
        _order.Enqueue(folder);
        return files;
    }

    public void Dispose() => _load.Dispose();
}
