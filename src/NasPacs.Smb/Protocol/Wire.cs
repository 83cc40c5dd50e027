using System.Buffers.Binary;

namespace NasPacs.Smb.Protocol;

/// <summary>
/// Bounds-checked little-endian reads at named offsets of a server message. Every read that would leave the
/// span throws <see cref="SmbProtocolException"/> naming the field, so a malformed response never becomes an
/// <see cref="IndexOutOfRangeException"/> or an allocation sized by an unchecked length.
/// </summary>
internal static class Wire
{
    public static byte U8(ReadOnlySpan<byte> span, int offset, string field)
    {
        Require(span, offset, 1, field);
        return span[offset];
    }

    public static ushort U16(ReadOnlySpan<byte> span, int offset, string field)
    {
        Require(span, offset, 2, field);
        return BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
    }

    public static uint U32(ReadOnlySpan<byte> span, int offset, string field)
    {
        Require(span, offset, 4, field);
        return BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
    }

    public static ulong U64(ReadOnlySpan<byte> span, int offset, string field)
    {
        Require(span, offset, 8, field);
        return BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]);
    }

    public static long I64(ReadOnlySpan<byte> span, int offset, string field)
    {
        Require(span, offset, 8, field);
        return BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
    }

    /// <summary>The bytes at [offset, offset + length), checked to lie inside <paramref name="span"/>.</summary>
    public static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> span, long offset, long length, string field)
    {
        if (offset < 0 || length < 0 || offset > span.Length || length > span.Length - offset)
        {
            throw new SmbProtocolException($"The field {field} (offset {offset}, length {length}) lies outside the {span.Length}-byte message.");
        }

        return span.Slice((int)offset, (int)length);
    }

    /// <summary>The body after the 64-byte header, checked to exist.</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> message) => Slice(message, Smb2Header.Size, message.Length - Smb2Header.Size, "Body");

    /// <summary>Checks a structure size field against the value the specification fixes.</summary>
    public static void RequireStructureSize(ReadOnlySpan<byte> body, ushort expected, string structure)
    {
        var actual = U16(body, 0, structure + ".StructureSize");
        if (actual != expected)
        {
            throw new SmbProtocolException($"{structure} has structure size {actual}, expected {expected}.");
        }
    }

    /// <summary>Converts a FILETIME to UTC, clamping values a server should never send.</summary>
    public static DateTimeOffset FileTime(long value)
    {
        return value <= 0 || value > MaxFileTime
            ? DateTimeOffset.UnixEpoch
            : new DateTimeOffset(DateTime.FromFileTimeUtc(value));
    }

    private static readonly long MaxFileTime = DateTime.MaxValue.ToFileTimeUtc();

    private static void Require(ReadOnlySpan<byte> span, int offset, int size, string field)
    {
        if (offset < 0 || offset > span.Length - size)
        {
            throw new SmbProtocolException($"The message ends before the field {field} (offset {offset}, {size} bytes, message {span.Length} bytes).");
        }
    }

    public static void Put16(Span<byte> span, int offset, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(span[offset..], value);

    public static void Put32(Span<byte> span, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], value);

    public static void Put64(Span<byte> span, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], value);
}
