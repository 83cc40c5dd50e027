using System.Buffers.Binary;

namespace NasPacs.Dicom;

/// <summary>The header of one data element: where it is, its tag, VR and declared value length.</summary>
internal readonly record struct DicomElementHeader(DicomTag Tag, ushort VR, uint Length, int Offset, int ValueOffset)
{
    /// <summary>The value length that means "undefined, ends with a delimiter" (PS3.5 §7.1.1).</summary>
    public const uint UndefinedLength = 0xFFFF_FFFF;

    public bool HasUndefinedLength => Length == UndefinedLength;
}

/// <summary>The outcome of one step of reading.</summary>
internal enum ReadStep
{
    /// <summary>The step succeeded.</summary>
    Ok,

    /// <summary>The bytes end before the step could finish; more of the file is needed.</summary>
    NeedMore,

    /// <summary>The bytes break the encoding rules.</summary>
    Malformed,
}

/// <summary>
/// Reads data element headers from a span, in the manner of <c>Utf8JsonReader</c>: a position, the encoding in force,
/// no allocation. Element encodings follow PS3.5 §7.1.2 (explicit VR), §7.1.3 (implicit VR) and §7.5 (items and delimiters).
/// </summary>
internal ref struct DicomElementReader(ReadOnlySpan<byte> buffer, int position, bool explicitVR, bool bigEndian)
{
    /// <summary>(FFFE,E000) Item.</summary>
    public const uint ItemTag = 0xFFFE_E000;

    /// <summary>(FFFE,E00D) Item Delimitation Item.</summary>
    public const uint ItemDelimitationTag = 0xFFFE_E00D;

    /// <summary>(FFFE,E0DD) Sequence Delimitation Item.</summary>
    public const uint SequenceDelimitationTag = 0xFFFE_E0DD;

    private readonly ReadOnlySpan<byte> _buffer = buffer;

    public int Position { get; set; } = position;

    public bool ExplicitVR { get; set; } = explicitVR;

    public bool BigEndian { get; set; } = bigEndian;

    public readonly int Length => _buffer.Length;

    public readonly ReadOnlySpan<byte> Remaining => _buffer[Position..];

    /// <summary>Reads the tag at the position without moving.</summary>
    public readonly bool TryPeekTag(out DicomTag tag)
    {
        if (_buffer.Length - Position < 4)
        {
            tag = default;
            return false;
        }

        tag = ReadTag(_buffer.Slice(Position, 4));
        return true;
    }

    /// <summary>
    /// Whether the element at the position looks explicit VR: pydicom's test (two upper-case letters after the tag),
    /// applied at the start of every dataset and item.
    /// </summary>
    public readonly bool? LooksExplicit() =>
        _buffer.Length - Position < 6 ? null : DicomVR.LooksLikeVR(_buffer[Position + 4], _buffer[Position + 5]);

    /// <summary>
    /// Reads an element header and moves to its value. Items and delimiters (group FFFE) have no VR in any syntax (§7.5).
    /// </summary>
    public ReadStep ReadHeader(out DicomElementHeader header)
    {
        header = default;
        var remaining = _buffer.Length - Position;
        if (remaining < 8)
        {
            return ReadStep.NeedMore;
        }

        var bytes = _buffer[Position..];
        var tag = ReadTag(bytes);
        if (tag.Group == 0xFFFE || !ExplicitVR)
        {
            var length = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            var vr = tag.Group == 0xFFFE ? DicomVR.None : DicomTags.GetVR(tag);
            header = new(tag, vr, length, Position, Position + 8);
            Position += 8;
            return ReadStep.Ok;
        }

        var explicitVR = (ushort)((bytes[4] << 8) | bytes[5]);
        if (DicomVR.HasLongLength(explicitVR))
        {
            if (remaining < 12)
            {
                return ReadStep.NeedMore;
            }

            var length = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            header = new(tag, explicitVR, length, Position, Position + 12);
            Position += 12;
            return ReadStep.Ok;
        }

        var shortLength = BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        header = new(tag, explicitVR, shortLength, Position, Position + 8);
        Position += 8;
        return ReadStep.Ok;
    }

    /// <summary>The value of an element of defined length, when all of it is in the buffer.</summary>
    public readonly bool TryGetValue(DicomElementHeader header, out ReadOnlySpan<byte> value)
    {
        if ((ulong)header.ValueOffset + header.Length > (ulong)_buffer.Length)
        {
            value = default;
            return false;
        }

        value = _buffer.Slice(header.ValueOffset, (int)header.Length);
        return true;
    }

    private readonly DicomTag ReadTag(ReadOnlySpan<byte> bytes) => BigEndian
        ? new(BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]))
        : new(BinaryPrimitives.ReadUInt16LittleEndian(bytes), BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]));
}
