using System.Buffers.Binary;
using NasPacs.Testing.Dicom;
using NasPacs.Testing.Oracle;

namespace NasPacs.Dicom.Tests;

/// <summary>Bad bytes built inline: every outcome is a classified result, never an exception, a hang or a huge allocation.</summary>
public class MalformedInputTests
{
    private static readonly DicomHeaderReader Reader = new();

    private static DicomFileBuilder Start() => new DicomFileBuilder()
        .AddString(DicomTags.SopInstanceUid, "UI", "1.2.3")
        .AddString(DicomTags.Modality, "CS", "CT");

    [Fact]
    public void Read_CtSmallTruncatedAtEveryOffset_ClassifiesEachCut()
    {
        var path = Path.Combine(PydicomOracle.CorpusRoot, "test_files", "CT_small.dcm");
        if (!File.Exists(path))
        {
            Assert.False(ReferenceTools.IsCI, $"{path} is missing (python3-pydicom).");
            return;
        }

        var file = File.ReadAllBytes(path);
        var full = Reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Ok, full.Status);
        var truncated = 0;
        for (var cut = 0; cut < full.BytesExamined; cut++)
        {
            var header = Reader.Read(file.AsSpan(0, cut));
            if (header.Status == DicomHeaderStatus.Ok)
            {
                // A cut between two elements looks like a shorter dataset (pydicom reads it the same way): what is there must match.
                Assert.All(header.Elements, e => Assert.Equal(full.GetValues(e.Key), e.Value));
                continue;
            }

            Assert.True(cut < 132 ? header.Status == DicomHeaderStatus.NotDicom : header.Status == DicomHeaderStatus.Truncated,
                $"Cut at {cut}: {header.Status} {header.Error}");
            if (header.Status == DicomHeaderStatus.Truncated)
            {
                truncated++;
                Assert.NotNull(header.Error?.Offset);
                Assert.InRange(header.Error!.Offset!.Value, 0, cut);
            }
        }

        // Only cuts exactly between two elements can look complete.
        Assert.True(truncated >= (full.BytesExamined - 132) * 9 / 10, $"Only {truncated} of {full.BytesExamined} cuts were reported truncated.");
    }

    [Fact]
    public void Read_ValueLengthPastEndOfFile_ReturnsTruncatedWithOffsetAndTag()
    {
        var file = Start().Add(DicomTags.PatientName, "PN", "Doe^"u8.ToArray(), length: 400).Build();
        var header = Reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Truncated, header.Status);
        Assert.Equal(DicomTags.PatientName, header.Error!.Tag);
        Assert.Equal(file.Length - 4 - 8, header.Error.Offset);
        Assert.Equal("CT", header.GetString(DicomTags.Modality));
    }

    [Fact]
    public void Read_LengthOf0xFFFFFFF0_ReturnsMalformedWithoutAllocatingIt()
    {
        var file = Start().Add(new DicomTag(0x0009, 0x1010), "OB", [1, 2, 3, 4], length: 0xFFFF_FFF0).Build();
        Reader.Read(file);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var header = Reader.Read(file);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(DicomHeaderStatus.Malformed, header.Status);
        Assert.Equal(new DicomTag(0x0009, 0x1010), header.Error!.Tag);
        Assert.True(allocated < 16 * 1024, $"Allocated {allocated} bytes.");
    }

    [Fact]
    public async Task ReadAsync_LengthOf0xFFFFFFF0_StopsAtMaxHeaderSizeWithoutReadingIt()
    {
        var file = Start().Add(new DicomTag(0x0009, 0x1010), "OB", new byte[10_000], length: 0xFFFF_FFF0).Build();
        var largest = 0;
        var header = await Reader.ReadAsync(InMemoryPrefix.Of(file, length => largest = Math.Max(largest, length)));
        Assert.Equal(DicomHeaderStatus.Malformed, header.Status);
        Assert.Equal(Reader.Options.InitialReadSize, largest);
    }

    [Fact]
    public void Read_UndefinedLengthSequenceWithoutDelimiter_ReturnsTruncated()
    {
        var item = new DicomFileBuilder().AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2");
        var file = Start().AddSequence(new DicomTag(0x0008, 0x1115), true, true, item).Build();
        var cut = file.AsSpan(0, file.Length - 8).ToArray(); // drop the sequence delimiter
        var header = Reader.Read(cut);
        Assert.Equal(DicomHeaderStatus.Truncated, header.Status);
        Assert.Equal(new DicomTag(0x0008, 0x1115), header.Error!.Tag);
    }

    [Fact]
    public void Read_SequenceWithElementWhereAnItemBelongs_ReturnsMalformed()
    {
        var file = Start().Add(new DicomTag(0x0008, 0x1115), "SQ", [], length: 0xFFFF_FFFF)
            .AddString(DicomTags.PatientName, "PN", "Doe").Build();
        var header = Reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Malformed, header.Status);
        Assert.Equal(new DicomTag(0x0008, 0x1115), header.Error!.Tag);
    }

    [Fact]
    public void Read_SequencesNestedTooDeep_ReturnsMalformed()
    {
        var item = new DicomFileBuilder().AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2");
        for (var depth = 0; depth < 200; depth++)
        {
            item = new DicomFileBuilder().AddSequence(new DicomTag(0x0008, 0x1115), true, true, item);
        }

        var header = Reader.Read(Start().AddSequence(new DicomTag(0x0008, 0x1115), true, true, item).Build());
        Assert.Equal(DicomHeaderStatus.Malformed, header.Status);
        Assert.Contains("nested", header.Error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello, world — this is a text file and not DICOM at all")]
    [InlineData("{\"json\": true}")]
    public void Read_NotDicomBytes_ReturnsNotDicom(string text)
    {
        Assert.Equal(DicomHeaderStatus.NotDicom, Reader.Read(System.Text.Encoding.UTF8.GetBytes(text)).Status);
    }

    [Fact]
    public void Read_ZeroFilledPreambleCutBeforeDicm_ReturnsNotDicom()
    {
        Assert.Equal(DicomHeaderStatus.NotDicom, Reader.Read(new byte[130]).Status);
    }

    [Fact]
    public void Read_CorruptDeflatedDataset_ReturnsMalformed()
    {
        var file = Start().Build();
        var deflated = new DicomFileBuilder(DicomFileBuilder.DeflatedExplicitVRLittleEndian).AddString(DicomTags.Modality, "CS", "CT").Build();
        var metaEnd = deflated.Length - 4;
        deflated.AsSpan(metaEnd).Fill(0xFF);
        var header = Reader.Read(deflated);
        Assert.NotEqual(DicomHeaderStatus.Ok, header.Status);
        Assert.NotNull(header.Error);
        Assert.Equal(DicomHeaderStatus.Ok, Reader.Read(file).Status);
    }

    [Fact]
    public void Read_MetaGroupElementWithUndefinedLength_ReturnsMalformed()
    {
        var file = new byte[132 + 12];
        "DICM"u8.CopyTo(file.AsSpan(128));
        "\u0002\0\u0001\0OB\0\0"u8.CopyTo(file.AsSpan(132));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(140), 0xFFFF_FFFF);
        var header = Reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Malformed, header.Status);
        Assert.Equal(132, header.Error!.Offset);
    }
}
