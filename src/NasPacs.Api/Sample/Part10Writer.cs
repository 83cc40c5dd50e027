using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace NasPacs.Api.Sample;

/// <summary>
/// Writes a minimal DICOM Part 10 file: preamble, <c>DICM</c>, the File Meta Information (PS3.10 §7.1) and a data set in
/// Explicit VR Little Endian (PS3.5 §7.1.2). Elements must be added in ascending tag order.
/// </summary>
internal sealed class Part10Writer
{
    /// <summary>Explicit VR Little Endian (PS3.5 §A.2).</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    private const string ImplementationClassUid = "2.25.117820410924170934471925286135548237001";
    private readonly ArrayBufferWriter<byte> _dataSet = new();
    private uint _lastTag;

    /// <summary>Adds a text element; the value is padded to even length (UI with NUL, others with a space, PS3.5 §6.2).</summary>
    public Part10Writer Text(ushort group, ushort element, string vr, string value)
    {
        var bytes = Encoding.ASCII.GetBytes(value);
        if (bytes.Length % 2 == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr == "UI" ? (byte)0 : (byte)' ';
        }

        return Add(group, element, vr, bytes);
    }

    /// <summary>Adds a US element.</summary>
    public Part10Writer UnsignedShort(ushort group, ushort element, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        return Add(group, element, "US", bytes);
    }

    /// <summary>Adds an element with raw bytes (OB, OW, …); odd lengths are padded with NUL.</summary>
    public Part10Writer Add(ushort group, ushort element, string vr, byte[] value)
    {
        var tag = ((uint)group << 16) | element;
        if (tag <= _lastTag)
        {
            throw new InvalidOperationException($"({group:X4},{element:X4}) is not in ascending order.");
        }

        _lastTag = tag;
        WriteElement(_dataSet, group, element, vr, value);
        return this;
    }

    /// <summary>The whole file: preamble, prefix, meta group with its group length, then the data set.</summary>
    public byte[] ToFile(string sopClassUid, string sopInstanceUid)
    {
        var meta = new ArrayBufferWriter<byte>();
        WriteElement(meta, 0x0002, 0x0001, "OB", [0x00, 0x01]);
        WriteElement(meta, 0x0002, 0x0002, "UI", Padded(sopClassUid));
        WriteElement(meta, 0x0002, 0x0003, "UI", Padded(sopInstanceUid));
        WriteElement(meta, 0x0002, 0x0010, "UI", Padded(ExplicitVrLittleEndian));
        WriteElement(meta, 0x0002, 0x0012, "UI", Padded(ImplementationClassUid));
        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)meta.WrittenCount);

        var file = new ArrayBufferWriter<byte>();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        WriteElement(file, 0x0002, 0x0000, "UL", groupLength);
        file.Write(meta.WrittenSpan);
        file.Write(_dataSet.WrittenSpan);
        return file.WrittenSpan.ToArray();
    }

    private static byte[] Padded(string uid)
    {
        var bytes = Encoding.ASCII.GetBytes(uid);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, 0];
    }

    private static void WriteElement(ArrayBufferWriter<byte> stream, ushort group, ushort element, string vr, byte[] value)
    {
        if (value.Length % 2 == 1)
        {
            value = [.. value, 0];
        }

        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(header, group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];

        // PS3.5 §7.1.2: OB, OW, OF, SQ, UT and UN have two reserved bytes and a 32-bit length; the others a 16-bit length.
        if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN")
        {
            header[6] = 0;
            header[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)value.Length);
            stream.Write((ReadOnlySpan<byte>)header);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(header[6..], checked((ushort)value.Length));
            stream.Write((ReadOnlySpan<byte>)header[..8]);
        }

        stream.Write((ReadOnlySpan<byte>)value);
    }
}
