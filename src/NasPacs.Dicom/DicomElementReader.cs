using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

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
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadStep ReadHeader(out DicomElementHeader header)
    {
        // One slice, one bounds check: this runs for every element before the last requested tag.
        var position = Position;
        var bytes = _buffer[position..];
        if (bytes.Length < 8)
        {
            header = default;
            return ReadStep.NeedMore;
        }

        var tag = ReadTag(bytes);
        if (!ExplicitVR || tag.Group == 0xFFFE)
        {
            var length = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
            var vr = tag.Group == 0xFFFE ? DicomVR.None : DicomTags.GetVR(tag);
            header = new(tag, vr, length, position, position + 8);
            Position = position + 8;
            return ReadStep.Ok;
        }

        var explicitVR = (ushort)((bytes[4] << 8) | bytes[5]);
        if (!DicomVR.HasLongLength(explicitVR))
        {
            var shortLength = BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
            header = new(tag, explicitVR, shortLength, position, position + 8);
            Position = position + 8;
            return ReadStep.Ok;
        }

        if (bytes.Length < 12)
        {
            header = default;
            return ReadStep.NeedMore;
        }

        var longLength = BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        header = new(tag, explicitVR, longLength, position, position + 12);
        Position = position + 12;
        return ReadStep.Ok;
    }

    /// <summary>
    /// Steps over, in one tight loop, elements the dataset parser would only step over: tags rising strictly between
    /// <paramref name="after"/> and <paramref name="below"/>, of defined length, wholly in the buffer. Little endian only
    /// (the common syntaxes); anything else stops it, unmoved, for the caller's element-by-element path. Returns how many
    /// elements it skipped and sets <paramref name="after"/> to the last tag skipped.
    /// </summary>
    public int SkipElementsBetween(ref uint after, uint below)
    {
        if (BigEndian)
        {
            return 0;
        }

        // Locals rather than fields: the loop runs once per element before the next requested tag (hundreds of private ones).
        var buffer = _buffer;
        var position = Position;
        var last = after;
        var skipped = 0;
        if (ExplicitVR)
        {
            // One length check covers the longest header (12 bytes); a shorter tail is the caller's.
            while (buffer.Length - position >= 12)
            {
                var bytes = buffer.Slice(position, 12);
                var tag = LittleEndianTag(bytes);
                if (tag <= last || tag >= below)
                {
                    break;
                }

                // Group FFFE (items, delimiters) is above any tag a caller passes as below, so only data elements get here.
                long end = DicomVR.HasLongLength((ushort)((bytes[4] << 8) | bytes[5]))
                    ? position + 12L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])
                    : position + 8L + BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
                if (end > buffer.Length)
                {
                    // Also an undefined length (0xFFFFFFFF), which no buffer holds.
                    break;
                }

                position = (int)end;
                last = tag;
                skipped++;
            }
        }
        else
        {
            while (buffer.Length - position >= 8)
            {
                var bytes = buffer.Slice(position, 8);
                var tag = LittleEndianTag(bytes);
                if (tag <= last || tag >= below)
                {
                    break;
                }

                var end = position + 8L + BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
                if (end > buffer.Length)
                {
                    break;
                }

                position = (int)end;
                last = tag;
                skipped++;
            }
        }

        Position = position;
        after = last;
        return skipped;
    }

    /// <summary>A little endian tag as one number, group in the high half: one load and a rotation.</summary>
    private static uint LittleEndianTag(ReadOnlySpan<byte> bytes) => BitOperations.RotateLeft(BinaryPrimitives.ReadUInt32LittleEndian(bytes), 16);

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
