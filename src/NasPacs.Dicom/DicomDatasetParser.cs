using System.Runtime.CompilerServices;
using System.Text;

namespace NasPacs.Dicom;

/// <summary>
/// Walks a dataset's elements, collects the requested top-level ones and stops at the first element past the highest
/// requested tag (or at Pixel Data). Nested sequences are walked only when their length is undefined: a defined length is
/// skipped in one step. Every length is checked against the bytes at hand before it is used.
/// </summary>
internal ref struct DicomDatasetParser
{
    /// <summary>Sequences nested deeper than this are reported as malformed rather than followed.</summary>
    public const int MaxDepth = 64;

    /// <summary>The Media Storage Directory Storage SOP Class (PS3.4 Annex I; the SOP class of a DICOMDIR, PS3.10 §8.6).</summary>
    private static ReadOnlySpan<byte> MediaStorageDirectoryUid => "1.2.840.10008.1.3.10"u8;

    private readonly ReadOnlySpan<uint> _requested;
    private readonly uint _stopAfter;
    private readonly bool _endOfData;
    private readonly DicomRawElements _values;
    private DicomElementReader _reader;
    private int _elementsRead;
    private int _cursor;
    private uint _lastTag;

    /// <param name="buffer">The bytes of the file (or inflated dataset) from offset 0.</param>
    /// <param name="endOfData">Whether <paramref name="buffer"/> holds everything there is, so running out means truncation.</param>
    /// <param name="requested">The requested tags' values, sorted.</param>
    /// <param name="values">Where the requested elements go, raw; emptied first.</param>
    public DicomDatasetParser(ReadOnlySpan<byte> buffer, bool endOfData, ReadOnlySpan<uint> requested, DicomRawElements values)
    {
        _requested = requested;
        // Stop at the first element past the highest requested tag, and at Pixel Data whatever was requested.
        _stopAfter = requested.IsEmpty ? 0 : Math.Min(requested[^1], DicomTags.PixelData.Value - 1);
        _endOfData = endOfData;
        _reader = new DicomElementReader(buffer, 0, explicitVR: true, bigEndian: false);
        _values = values;
        _values.Reset(requested.Length);
        Charset = DicomCharacterSet.Default;
    }

    /// <summary>The Specific Character Set in force at the top level.</summary>
    public DicomCharacterSet Charset { get; private set; }

    /// <summary>Where the parse stopped: the first byte not examined.</summary>
    public readonly int Position => _reader.Position;

    /// <summary>After <see cref="ReadStep.NeedMore"/>: the buffer length that would let the parse go on.</summary>
    public long BytesNeeded { get; private set; }

    /// <summary>After <see cref="ReadStep.Malformed"/> or <see cref="ReadStep.NeedMore"/>: what and where.</summary>
    public string? ErrorMessage { get; private set; }

    public int ErrorOffset { get; private set; }

    public DicomTag? ErrorTag { get; private set; }

    /// <summary>Offset of the (7FE0,0010) tag, when the parse reached it.</summary>
    public int? PixelDataOffset { get; private set; }

    /// <summary>Whether at least one element of the dataset was read (a raw dataset that fails at once is "not DICOM").</summary>
    public readonly bool ReadAnyElement => _elementsRead > 0;

    /// <summary>
    /// Reads the file meta group (group 0002, always explicit VR little endian, PS3.10 §7.1) from <paramref name="start"/>
    /// and returns its Transfer Syntax UID, or <see langword="null"/> when it has none, and whether its Media Storage SOP
    /// Class is the Media Storage Directory (a DICOMDIR, whatever its file name).
    /// </summary>
    public ReadStep ReadMetaGroup(int start, out string? transferSyntaxUid, out bool isDirectory)
    {
        transferSyntaxUid = null;
        isDirectory = false;
        _reader.Position = start;
        _reader.ExplicitVR = _reader.LooksExplicit() ?? true;
        _reader.BigEndian = false;
        while (_reader.TryPeekTag(out var tag) && tag.Group == 0x0002)
        {
            var step = ReadDefinedLengthValue(out var header, out var value);
            if (step != ReadStep.Ok)
            {
                return step;
            }

            if (header.Tag == DicomTags.TransferSyntaxUid)
            {
                transferSyntaxUid = TransferSyntax.UidFromValue(value);
            }
            else if (header.Tag == DicomTags.MediaStorageSopClassUid)
            {
                isDirectory = value.TrimEnd(" \0"u8).SequenceEqual(MediaStorageDirectoryUid);
            }
        }

        return _reader.TryPeekTag(out _) || _endOfData ? ReadStep.Ok : NeedMore(_reader.Position + 4, null, "the file meta group");
    }

    /// <summary>Reads the top-level dataset from <paramref name="start"/> with the given encoding.</summary>
    public ReadStep ReadDataset(int start, bool explicitVR, bool bigEndian)
    {
        _reader.Position = start;
        _reader.BigEndian = bigEndian;
        // pydicom checks the first element of every dataset and follows what it finds (filereader._is_implicit_vr).
        _reader.ExplicitVR = _reader.LooksExplicit() ?? explicitVR;
        while (true)
        {
            _elementsRead += _reader.SkipElementsBetween(ref _lastTag, NextTagOfInterest());
            if (_reader.Length - _reader.Position < 8)
            {
                if (_reader.TryPeekTag(out var partial) && IsPastRequested(partial))
                {
                    return Stop(partial);
                }

                // The dataset ends where the data ends. pydicom also ignores 1-7 bytes left over; we report them as a
                // truncated element header, since a cut file would otherwise look complete with tags missing.
                return _endOfData && _reader.Position == _reader.Length
                    ? ReadStep.Ok
                    : NeedMore(_reader.Position + 8, null, "an element header", _reader.Position);
            }

            _reader.TryPeekTag(out var tag);
            if (tag.Value > _stopAfter)
            {
                return Stop(tag);
            }

            var offset = _reader.Position;
            if (_reader.ReadHeader(out var header) == ReadStep.NeedMore)
            {
                return NeedMore(offset + 12, tag, "an element header", offset);
            }

            _elementsRead++;
            var end = (long)header.ValueOffset + header.Length;
            if (header.HasUndefinedLength)
            {
                var step = ReadItems(header, depth: 1);
                if (step != ReadStep.Ok)
                {
                    return step;
                }
            }
            else if (end > _reader.Length)
            {
                return NeedMore(end, tag, "an element value", offset);
            }
            else
            {
                var requested = IsRequested(tag.Value);
                if (requested || tag == DicomTags.SpecificCharacterSet)
                {
                    _reader.TryGetValue(header, out var value);
                    Collect(header, value, requested);
                }

                _reader.Position = (int)end;
            }
        }
    }

    /// <summary>
    /// Whether a tag was requested. Elements come in ascending order (PS3.5 §7.1), so a cursor over the sorted requested tags
    /// answers in constant time; an element out of order falls back to a binary search.
    /// </summary>
    private bool IsRequested(uint tag)
    {
        if (tag < _lastTag)
        {
            return _requested.BinarySearch(tag) >= 0;
        }

        _lastTag = tag;
        while (_cursor < _requested.Length && _requested[_cursor] < tag)
        {
            _cursor++;
        }

        return _cursor < _requested.Length && _requested[_cursor] == tag;
    }

    /// <summary>
    /// The lowest tag above the last one seen that the parse must look at: the next requested tag, Specific Character Set
    /// (it sets how values decode), or the first tag past the stop. Every element below it is stepped over unread.
    /// </summary>
    private readonly uint NextTagOfInterest()
    {
        var index = _cursor;
        while (index < _requested.Length && _requested[index] <= _lastTag)
        {
            index++;
        }

        var next = index < _requested.Length ? Math.Min(_requested[index], _stopAfter + 1) : _stopAfter + 1;
        return _lastTag < DicomTags.SpecificCharacterSet.Value ? Math.Min(next, DicomTags.SpecificCharacterSet.Value) : next;
    }

    private readonly bool IsPastRequested(DicomTag tag) => tag.Value > _stopAfter;

    private ReadStep Stop(DicomTag tag)
    {
        if (tag == DicomTags.PixelData)
        {
            PixelDataOffset = _reader.Position;
        }

        return ReadStep.Ok;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Collect(in DicomElementHeader header, scoped ReadOnlySpan<byte> value, bool requested)
    {
        var tag = header.Tag;
        // pydicom reads a UN element of a known tag with the tag's dictionary VR (config.replace_un_with_known_vr).
        var vr = header.VR == DicomVR.UN && !tag.IsPrivate ? DicomTags.GetVR(tag) : header.VR;
        if (tag == DicomTags.SpecificCharacterSet)
        {
            Charset = DicomCharacterSet.FromValue(value);
        }

        if (requested)
        {
            // Kept raw with what decoding needs; values are decoded when asked for (most never are on the index path).
            _values.TryAdd(tag, vr, _reader.BigEndian, Charset, value);
        }
    }

    /// <summary>
    /// Reads the items of an element of undefined length up to its Sequence Delimitation Item (PS3.5 §7.5.2): a sequence,
    /// encapsulated pixel data (§A.4, fragments are items of defined length), or a UN sequence, which is implicit VR little
    /// endian whatever the transfer syntax (§6.2.2).
    /// </summary>
    private ReadStep ReadItems(in DicomElementHeader sequence, int depth)
    {
        if (depth > MaxDepth)
        {
            return Malformed($"Sequences are nested more than {MaxDepth} deep.", sequence.Offset, sequence.Tag);
        }

        var (explicitVR, bigEndian) = (_reader.ExplicitVR, _reader.BigEndian);
        if (sequence.VR == DicomVR.UN)
        {
            (_reader.ExplicitVR, _reader.BigEndian) = (false, false);
        }

        while (true)
        {
            var offset = _reader.Position;
            if (_reader.ReadHeader(out var item) == ReadStep.NeedMore)
            {
                return NeedMore(offset + 8, sequence.Tag, $"the items of {sequence.Tag}, which has no sequence delimiter");
            }

            if (item.Tag.Value == DicomElementReader.SequenceDelimitationTag)
            {
                break;
            }

            if (item.Tag.Value != DicomElementReader.ItemTag)
            {
                return Malformed($"Expected an item (FFFE,E000) in {sequence.Tag} but found {item.Tag}.", offset, sequence.Tag);
            }

            var step = item.HasUndefinedLength ? ReadItemDataset(sequence.Tag, depth)
                : _reader.TryGetValue(item, out _) ? Skip(item)
                : NeedMore((long)item.ValueOffset + item.Length, sequence.Tag, $"an item of {sequence.Tag}", item.Offset);
            if (step != ReadStep.Ok)
            {
                return step;
            }
        }

        (_reader.ExplicitVR, _reader.BigEndian) = (explicitVR, bigEndian);
        return ReadStep.Ok;
    }

    /// <summary>Reads the elements of an item of undefined length up to its Item Delimitation Item (PS3.5 §7.5.2).</summary>
    private ReadStep ReadItemDataset(DicomTag sequenceTag, int depth)
    {
        var explicitVR = _reader.ExplicitVR;
        if (_reader.TryPeekTag(out var first) && first.Group != 0xFFFE && _reader.LooksExplicit() is { } looksExplicit)
        {
            // An item may be encoded differently from its parent (pydicom follows the bytes; UN sequences rely on it).
            _reader.ExplicitVR = looksExplicit;
        }

        while (true)
        {
            var offset = _reader.Position;
            if (_reader.ReadHeader(out var element) == ReadStep.NeedMore)
            {
                return NeedMore(offset + 12, sequenceTag, $"an item of {sequenceTag}, which has no item delimiter");
            }

            if (element.Tag.Value == DicomElementReader.ItemDelimitationTag)
            {
                break;
            }

            if (element.Tag.Group == 0xFFFE)
            {
                return Malformed($"Found {element.Tag} inside an item of {sequenceTag} before its item delimiter.", offset, sequenceTag);
            }

            var step = element.HasUndefinedLength ? ReadItems(element, depth + 1)
                : _reader.TryGetValue(element, out _) ? Skip(element)
                : NeedMore((long)element.ValueOffset + element.Length, element.Tag, "an element value inside a sequence", element.Offset);
            if (step != ReadStep.Ok)
            {
                return step;
            }
        }

        _reader.ExplicitVR = explicitVR;
        return ReadStep.Ok;
    }

    private ReadStep ReadDefinedLengthValue(out DicomElementHeader header, out ReadOnlySpan<byte> value)
    {
        value = default;
        var offset = _reader.Position;
        if (_reader.ReadHeader(out header) == ReadStep.NeedMore)
        {
            return NeedMore(offset + 12, null, "an element header");
        }

        if (header.HasUndefinedLength)
        {
            return Malformed($"{header.Tag} in the file meta group has an undefined length.", offset, header.Tag);
        }

        if (!_reader.TryGetValue(header, out value))
        {
            return NeedMore((long)header.ValueOffset + header.Length, header.Tag, "an element value");
        }

        _reader.Position = header.ValueOffset + (int)header.Length;
        return ReadStep.Ok;
    }

    private ReadStep Skip(in DicomElementHeader header)
    {
        _reader.Position = header.ValueOffset + (int)header.Length;
        return ReadStep.Ok;
    }

    private ReadStep NeedMore(long bytesNeeded, DicomTag? tag, string what, int? elementOffset = null)
    {
        BytesNeeded = bytesNeeded;
        ErrorMessage = $"The data ends inside {what}.";
        ErrorOffset = elementOffset ?? _reader.Position;
        ErrorTag = tag;
        return ReadStep.NeedMore;
    }

    private ReadStep Malformed(string message, int offset, DicomTag? tag)
    {
        ErrorMessage = message;
        ErrorOffset = offset;
        ErrorTag = tag;
        return ReadStep.Malformed;
    }
}
