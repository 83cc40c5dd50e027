using System.Text;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// What the index holds for the files of one folder, packed for the re-index's lookup: the names in one character
/// buffer, the rows in one array, and an open-addressing table of their positions. Filled from UTF-8 bytes and probed
/// with spans, so neither loading a folder nor finding a file allocates a string, and the object is reused for the next
/// folder (a <c>Dictionary&lt;string, KnownFile&gt;</c> per folder cost a string per file and a dictionary per folder).
/// </summary>
internal sealed class FolderFiles
{
    private char[] _names = new char[512];
    private int[] _ends = new int[32];
    private KnownFile[] _files = new KnownFile[32];
    private int[] _slots = new int[64];
    private int _count;
    private int _length;
    private int _size = 16;

    /// <summary>Files held.</summary>
    public int Count => _count;

    /// <summary>Empties it for another folder, keeping its buffers.</summary>
    public void Clear()
    {
        _count = 0;
        _length = 0;
        _size = 16;
        _slots.AsSpan(0, _size).Clear();
    }

    /// <summary>Adds a file by its UTF-8 name (as SQLite stores text); call <see cref="Seal"/> after the last one.</summary>
    public void Add(ReadOnlySpan<byte> utf8Name, in KnownFile file)
    {
        var needed = _length + Encoding.UTF8.GetMaxCharCount(utf8Name.Length);
        if (needed > _names.Length)
        {
            Array.Resize(ref _names, Math.Max(needed, _names.Length * 2));
        }

        if (_count == _files.Length)
        {
            Array.Resize(ref _files, _count * 2);
            Array.Resize(ref _ends, _count * 2);
        }

        _length += Encoding.UTF8.GetChars(utf8Name, _names.AsSpan(_length));
        _ends[_count] = _length;
        _files[_count++] = file;
    }

    /// <summary>Builds the lookup table (at most half full).</summary>
    public void Seal()
    {
        var size = 16;
        while (size < _count * 2)
        {
            size *= 2;
        }

        if (_slots.Length < size)
        {
            _slots = new int[size];
        }

        _size = size;

        var slots = _slots.AsSpan(0, size);
        slots.Clear();
        for (var i = 0; i < _count; i++)
        {
            var slot = Hash(Name(i)) & (size - 1);
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & (size - 1);
            }

            slots[slot] = i + 1;
        }
    }

    /// <summary>Finds a file by name (ordinal, as SQLite's unique index on <c>(folder_id, name)</c>).</summary>
    public bool TryGet(ReadOnlySpan<char> name, out KnownFile file)
    {
        var size = _size;
        var slot = Hash(name) & (size - 1);
        while (_slots[slot] is var entry and not 0)
        {
            if (Name(entry - 1).SequenceEqual(name))
            {
                file = _files[entry - 1];
                return true;
            }

            slot = (slot + 1) & (size - 1);
        }

        file = default;
        return false;
    }

    private ReadOnlySpan<char> Name(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1];
        return _names.AsSpan(start, _ends[index] - start);
    }

    /// <summary>FNV-1a over the UTF-16 code units: names of one folder differ in a few characters, often the last ones.</summary>
    private static int Hash(ReadOnlySpan<char> name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash ^ (hash >> 15));
    }
}
