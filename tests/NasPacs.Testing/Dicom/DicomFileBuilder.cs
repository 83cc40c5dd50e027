using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NasPacs.Dicom;

namespace NasPacs.Testing.Dicom;

/// <summary>
/// Generates DICOM test data: Part 10 files (preamble, DICM, meta group) or raw datasets, in implicit/explicit VR, little or
/// big endian, deflated or encapsulated, with sequences (defined or undefined length, nested), UN sequences, private tags,
/// and hand-set lengths for malformed cases. Elements are written in the order added.
/// </summary>
public sealed class DicomFileBuilder
{
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";
    public const string ExplicitVRBigEndian = "1.2.840.10008.1.2.2";
    public const string DeflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    public const string Rle = "1.2.840.10008.1.2.5";

    private readonly List<Node> _nodes = [];

    public DicomFileBuilder(string transferSyntaxUid = ExplicitVRLittleEndian) => TransferSyntaxUid = transferSyntaxUid;

    public string TransferSyntaxUid { get; }

    /// <summary>Whether to write the 128-byte preamble and DICM (default true).</summary>
    public bool WritePreamble { get; init; } = true;

    /// <summary>Whether to write the file meta group (default true).</summary>
    public bool WriteMetaGroup { get; init; } = true;

    /// <summary>Whether the meta group includes (0002,0010); false makes a reader detect the syntax.</summary>
    public bool WriteTransferSyntaxInMeta { get; init; } = true;

    private bool ExplicitVR => TransferSyntaxUid != ImplicitVRLittleEndian;

    private bool BigEndian => TransferSyntaxUid == ExplicitVRBigEndian;

    /// <summary>Adds an element with raw value bytes; <paramref name="length"/> overrides the declared length.</summary>
    public DicomFileBuilder Add(DicomTag tag, string vr, byte[] value, uint? length = null)
    {
        _nodes.Add(new Element(tag, vr, value, length));
        return this;
    }

    /// <summary>Adds a text element, encoded with <paramref name="encoding"/> (ASCII by default), padded to even length.</summary>
    public DicomFileBuilder AddString(DicomTag tag, string vr, string value, Encoding? encoding = null) =>
        Add(tag, vr, Pad((encoding ?? Encoding.ASCII).GetBytes(value), vr == "UI" ? (byte)0 : (byte)' '));

    /// <summary>Adds a US element with one value per number.</summary>
    public DicomFileBuilder AddUInt16(DicomTag tag, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            if (BigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
            }
        }

        return Add(tag, "US", bytes);
    }

    /// <summary>Adds a sequence; each item is built by its own builder (only its elements are used).</summary>
    public DicomFileBuilder AddSequence(DicomTag tag, bool undefinedLength, bool undefinedLengthItems, params DicomFileBuilder[] items)
    {
        _nodes.Add(new Sequence(tag, "SQ", undefinedLength, undefinedLengthItems, items));
        return this;
    }

    /// <summary>Adds a UN element of undefined length holding items, encoded implicit VR little endian (PS3.5 §6.2.2).</summary>
    public DicomFileBuilder AddUnSequence(DicomTag tag, params DicomFileBuilder[] items)
    {
        _nodes.Add(new Sequence(tag, "UN", true, true, items));
        return this;
    }

    /// <summary>Adds encapsulated pixel data: an empty offset table and one fragment per array (PS3.5 §A.4).</summary>
    public DicomFileBuilder AddEncapsulatedPixelData(params byte[][] fragments)
    {
        _nodes.Add(new Encapsulated(fragments));
        return this;
    }

    /// <summary>Appends bytes as they are, for malformed input.</summary>
    public DicomFileBuilder AddRaw(byte[] bytes)
    {
        _nodes.Add(new Raw(bytes));
        return this;
    }

    /// <summary>The whole file.</summary>
    public byte[] Build()
    {
        var output = new MemoryStream();
        if (WritePreamble)
        {
            output.Write(new byte[128]);
            output.Write("DICM"u8);
        }

        if (WriteMetaGroup)
        {
            var meta = new DicomFileBuilder(ExplicitVRLittleEndian);
            meta.AddString(new DicomTag(0x0002, 0x0001), "OB", "\0\u0001");
            meta.AddString(new DicomTag(0x0002, 0x0002), "UI", "1.2.840.10008.5.1.4.1.1.7");
            meta.AddString(new DicomTag(0x0002, 0x0003), "UI", "1.2.3.4");
            if (WriteTransferSyntaxInMeta)
            {
                meta.AddString(new DicomTag(0x0002, 0x0010), "UI", TransferSyntaxUid);
            }

            var metaBytes = meta.BuildDataset();
            var groupLength = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)metaBytes.Length);
            new DicomFileBuilder(ExplicitVRLittleEndian).Add(new DicomTag(0x0002, 0x0000), "UL", groupLength).WriteTo(output, explicitVR: true, bigEndian: false);
            output.Write(metaBytes);
        }

        var dataset = BuildDataset();
        if (TransferSyntaxUid == DeflatedExplicitVRLittleEndian)
        {
            using var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
            deflate.Write(dataset);
        }
        else
        {
            output.Write(dataset);
        }

        return output.ToArray();
    }

    /// <summary>The dataset alone, in this builder's transfer syntax (not deflated).</summary>
    public byte[] BuildDataset()
    {
        var output = new MemoryStream();
        WriteTo(output, ExplicitVR, BigEndian);
        return output.ToArray();
    }

    private void WriteTo(Stream output, bool explicitVR, bool bigEndian)
    {
        foreach (var node in _nodes)
        {
            switch (node)
            {
                case Element e:
                    WriteHeader(output, e.Tag, e.VR, e.Length ?? (uint)e.Value.Length, explicitVR, bigEndian);
                    output.Write(e.Value);
                    break;
                case Sequence s:
                    var inner = s.VR == "UN" ? (Explicit: false, Big: false) : (Explicit: explicitVR, Big: bigEndian);
                    var items = new MemoryStream();
                    foreach (var item in s.Items)
                    {
                        var content = new MemoryStream();
                        item.WriteTo(content, inner.Explicit, inner.Big);
                        WriteTag(items, 0xFFFE, 0xE000, inner.Big);
                        WriteUInt32(items, s.UndefinedLengthItems ? 0xFFFFFFFF : (uint)content.Length, inner.Big);
                        content.WriteTo(items);
                        if (s.UndefinedLengthItems)
                        {
                            WriteTag(items, 0xFFFE, 0xE00D, inner.Big);
                            WriteUInt32(items, 0, inner.Big);
                        }
                    }

                    if (s.UndefinedLength)
                    {
                        WriteTag(items, 0xFFFE, 0xE0DD, inner.Big);
                        WriteUInt32(items, 0, inner.Big);
                    }

                    WriteHeader(output, s.Tag, s.VR, s.UndefinedLength ? 0xFFFFFFFF : (uint)items.Length, explicitVR, bigEndian);
                    items.WriteTo(output);
                    break;
                case Encapsulated p:
                    WriteHeader(output, DicomTags.PixelData, "OB", 0xFFFFFFFF, explicitVR, bigEndian);
                    WriteTag(output, 0xFFFE, 0xE000, bigEndian);
                    WriteUInt32(output, 0, bigEndian);
                    foreach (var fragment in p.Fragments)
                    {
                        WriteTag(output, 0xFFFE, 0xE000, bigEndian);
                        WriteUInt32(output, (uint)fragment.Length, bigEndian);
                        output.Write(fragment);
                    }

                    WriteTag(output, 0xFFFE, 0xE0DD, bigEndian);
                    WriteUInt32(output, 0, bigEndian);
                    break;
                case Raw r:
                    output.Write(r.Bytes);
                    break;
            }
        }
    }

    private static void WriteHeader(Stream output, DicomTag tag, string vr, uint length, bool explicitVR, bool bigEndian)
    {
        WriteTag(output, tag.Group, tag.Element, bigEndian);
        if (!explicitVR)
        {
            WriteUInt32(output, length, bigEndian);
            return;
        }

        output.Write(Encoding.ASCII.GetBytes(vr));
        if (vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV")
        {
            output.Write([0, 0]);
            WriteUInt32(output, length, bigEndian);
        }
        else
        {
            var bytes = new byte[2];
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)length);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)length);
            }

            output.Write(bytes);
        }
    }

    private static void WriteTag(Stream output, ushort group, ushort element, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, group);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), element);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), element);
        }

        output.Write(bytes);
    }

    private static void WriteUInt32(Stream output, uint value, bool bigEndian)
    {
        var bytes = new byte[4];
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }

        output.Write(bytes);
    }

    private static byte[] Pad(byte[] value, byte padding) => value.Length % 2 == 0 ? value : [.. value, padding];

    private abstract record Node;

    private sealed record Element(DicomTag Tag, string VR, byte[] Value, uint? Length) : Node;

    private sealed record Sequence(DicomTag Tag, string VR, bool UndefinedLength, bool UndefinedLengthItems, DicomFileBuilder[] Items) : Node;

    private sealed record Encapsulated(byte[][] Fragments) : Node;

    private sealed record Raw(byte[] Bytes) : Node;
}
