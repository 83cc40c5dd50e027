namespace NasPacs.Dicom;

/// <summary>
/// Elements kept as their raw value bytes, in the order read, with what decoding them needs (VR, character set, byte order).
/// One store is reused parse after parse (<see cref="DicomHeaderValues"/>), or copied once into an immutable
/// <see cref="DicomValueSnapshot"/>. Values are decoded only when asked for, by the same decoder as <see cref="DicomHeader"/>.
/// </summary>
internal sealed class DicomRawElements
{
    private DicomTag[] _tags;
    private ushort[] _vrs;
    private bool[] _bigEndian;
    private DicomCharacterSet[] _charsets;
    private int[] _starts;
    private byte[] _bytes;
    private int _limit;

    public DicomRawElements(int elements = 0, int bytes = 0)
    {
        _tags = new DicomTag[elements];
        _vrs = new ushort[elements];
        _bigEndian = new bool[elements];
        _charsets = new DicomCharacterSet[elements];
        _starts = new int[elements + 1];
        _bytes = new byte[bytes];
    }

    public int Count { get; private set; }

    /// <summary>Forgets every element and accepts at most <paramref name="limit"/> of them (the number of requested tags).</summary>
    public void Reset(int limit)
    {
        Count = 0;
        _limit = limit;
        if (_tags.Length < limit)
        {
            Array.Resize(ref _tags, limit);
            Array.Resize(ref _vrs, limit);
            Array.Resize(ref _bigEndian, limit);
            Array.Resize(ref _charsets, limit);
            Array.Resize(ref _starts, limit + 1);
        }

        // Charsets are shared, cached objects: nothing is kept alive by leaving them in place.
    }

    /// <summary>Adds an element unless it is already here (first one wins) or the limit is reached.</summary>
    public bool TryAdd(DicomTag tag, ushort vr, bool bigEndian, DicomCharacterSet charset, scoped ReadOnlySpan<byte> value)
    {
        // Elements come in ascending order, so only a tag not above the last one can be a repeat.
        if (Count == _limit || (Count > 0 && tag <= _tags[Count - 1] && IndexOf(tag) >= 0))
        {
            return false;
        }

        var start = _starts[Count];
        if (_bytes.Length - start < value.Length)
        {
            Array.Resize(ref _bytes, Math.Max(start + value.Length, Math.Max(256, _bytes.Length * 2)));
        }

        value.CopyTo(_bytes.AsSpan(start));
        _tags[Count] = tag;
        _vrs[Count] = vr;
        _bigEndian[Count] = bigEndian;
        _charsets[Count] = charset;
        Count++;
        _starts[Count] = start + value.Length;
        return true;
    }

    public int IndexOf(DicomTag tag) => Array.IndexOf(_tags, tag, 0, Count);

    public DicomTag TagAt(int index) => _tags[index];

    public ReadOnlySpan<byte> ValueAt(int index) => _bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);

    /// <summary>Every element decoded, one string per value: what <see cref="DicomHeader.Elements"/> holds.</summary>
    public DicomElementCollection Decode()
    {
        var values = new DicomElementCollection.Builder(Count);
        for (var i = 0; i < Count; i++)
        {
            values.Begin(_tags[i]);
            DicomValueDecoder.Decode(_vrs[i], ValueAt(i), _bigEndian[i], _charsets[i], ref values);
            values.End();
        }

        return values.Build();
    }

    /// <summary>The values of one element (see <see cref="DicomHeader.GetValues"/>), or <see langword="null"/> when absent.</summary>
    public IReadOnlyList<string>? GetValues(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return null;
        }

        var values = new DicomElementCollection.Builder(1);
        values.Begin(tag);
        DicomValueDecoder.Decode(_vrs[index], ValueAt(index), _bigEndian[index], _charsets[index], ref values);
        values.End();
        return values.Build().TryGetValue(tag, out var list) ? list : [];
    }

    /// <summary>The values joined with <c>\</c> (see <see cref="DicomHeader.GetString"/>), or <see langword="null"/> when absent.</summary>
    public string? GetString(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return null;
        }

        Span<char> buffer = stackalloc char[128];
        return DicomValueDecoder.TryDecodeSingle(_vrs[index], ValueAt(index), _charsets[index], buffer, out var written)
            ? new string(buffer[..written])
            : string.Join('\\', GetValues(tag)!);
    }

    /// <summary>
    /// Writes what <see cref="GetString"/> returns into <paramref name="destination"/>; allocates nothing for a single value in a
    /// character set without code extensions, the usual case. False when the element is absent or does not fit.
    /// </summary>
    public bool TryGetString(DicomTag tag, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        if (DicomValueDecoder.TryDecodeSingle(_vrs[index], ValueAt(index), _charsets[index], destination, out charsWritten))
        {
            return true;
        }

        var text = string.Join('\\', GetValues(tag)!);
        if (text.Length > destination.Length)
        {
            return false;
        }

        text.CopyTo(destination);
        charsWritten = text.Length;
        return true;
    }

    /// <summary>A compact copy of the elements among <paramref name="tags"/>, in the order stored.</summary>
    public DicomRawElements CopyOf(ReadOnlySpan<DicomTag> tags)
    {
        var count = 0;
        var bytes = 0;
        for (var i = 0; i < Count; i++)
        {
            if (tags.Contains(_tags[i]))
            {
                count++;
                bytes += _starts[i + 1] - _starts[i];
            }
        }

        var copy = new DicomRawElements(count, bytes);
        copy.Reset(count);
        for (var i = 0; i < Count; i++)
        {
            if (tags.Contains(_tags[i]))
            {
                copy.TryAdd(_tags[i], _vrs[i], _bigEndian[i], _charsets[i], ValueAt(i));
            }
        }

        return copy;
    }

    /// <summary>Whether <paramref name="copy"/> is what <see cref="CopyOf"/> would return for these <paramref name="tags"/> now.</summary>
    public bool IsCopiedIn(DicomRawElements copy, ReadOnlySpan<DicomTag> tags)
    {
        var j = 0;
        for (var i = 0; i < Count; i++)
        {
            if (!tags.Contains(_tags[i]))
            {
                continue;
            }

            if (j == copy.Count || copy._tags[j] != _tags[i] || copy._vrs[j] != _vrs[i] || copy._bigEndian[j] != _bigEndian[i]
                || !ReferenceEquals(copy._charsets[j], _charsets[i]) || !copy.ValueAt(j).SequenceEqual(ValueAt(i)))
            {
                return false;
            }

            j++;
        }

        return j == copy.Count;
    }
}
