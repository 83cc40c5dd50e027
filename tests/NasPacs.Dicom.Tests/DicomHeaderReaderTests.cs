using System.Text;
using NasPacs.Testing.Dicom;

namespace NasPacs.Dicom.Tests;

public class DicomHeaderReaderTests
{
    private static readonly DicomHeaderReader Reader = new();

    /// <summary>A dataset with typical index values; <paramref name="between"/> adds elements between (0008,0060) and (0010,0010).</summary>
    private static DicomFileBuilder Typical(string syntax, DicomFileBuilder? builder = null, Action<DicomFileBuilder>? between = null)
    {
        builder ??= new DicomFileBuilder(syntax);
        builder.AddString(DicomTags.SopInstanceUid, "UI", "1.2.3.4.5").AddString(DicomTags.Modality, "CS", "MR");
        between?.Invoke(builder);
        return builder
        .AddString(DicomTags.PatientName, "PN", "Doe^Jane")
        .AddString(DicomTags.PatientId, "LO", "ID-42")
        .AddString(DicomTags.StudyInstanceUid, "UI", "1.2.3")
        .AddString(DicomTags.SeriesNumber, "IS", " 7 ")
        .AddUInt16(DicomTags.Rows, 512)
        .AddUInt16(DicomTags.Columns, 256);
    }

    private static void AssertTypical(DicomHeader header, string syntax)
    {
        Assert.Equal(DicomHeaderStatus.Ok, header.Status);
        Assert.Equal(syntax, header.TransferSyntaxUid);
        Assert.Equal(["1.2.3.4.5"], header.GetValues(DicomTags.SopInstanceUid));
        Assert.Equal("MR", header.GetString(DicomTags.Modality));
        Assert.Equal("Doe^Jane", header.GetString(DicomTags.PatientName));
        Assert.Equal("ID-42", header.GetString(DicomTags.PatientId));
        Assert.Equal("7", header.GetString(DicomTags.SeriesNumber));
        Assert.Equal("512", header.GetString(DicomTags.Rows));
        Assert.Equal("256", header.GetString(DicomTags.Columns));
        Assert.Null(header.GetValues(DicomTags.StudyDate));
    }

    [Theory]
    [InlineData(DicomFileBuilder.ImplicitVRLittleEndian)]
    [InlineData(DicomFileBuilder.ExplicitVRLittleEndian)]
    [InlineData(DicomFileBuilder.ExplicitVRBigEndian)]
    [InlineData(DicomFileBuilder.DeflatedExplicitVRLittleEndian)]
    [InlineData(DicomFileBuilder.JpegBaseline)]
    [InlineData(DicomFileBuilder.Rle)]
    public void Read_Part10FileInEachTransferSyntax_ReturnsValues(string syntax)
    {
        var file = Typical(syntax).AddEncapsulatedPixelData([1, 2, 3, 4]).Build();
        AssertTypical(Reader.Read(file), syntax);
    }

    [Theory]
    [InlineData(DicomFileBuilder.ImplicitVRLittleEndian)]
    [InlineData(DicomFileBuilder.ExplicitVRLittleEndian)]
    [InlineData(DicomFileBuilder.ExplicitVRBigEndian)]
    public void Read_RawDatasetWithoutPreambleOrMeta_DetectsSyntaxFromFirstElement(string syntax)
    {
        var builder = new DicomFileBuilder(syntax) { WritePreamble = false, WriteMetaGroup = false }
            .AddString(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100");
        AssertTypical(Reader.Read(Typical(syntax, builder).Build()), syntax);
    }

    [Fact]
    public void Read_MetaGroupWithoutTransferSyntax_DetectsSyntaxFromDataset()
    {
        var builder = new DicomFileBuilder(DicomFileBuilder.ImplicitVRLittleEndian) { WriteTransferSyntaxInMeta = false };
        AssertTypical(Reader.Read(Typical(DicomFileBuilder.ImplicitVRLittleEndian, builder).Build()), DicomFileBuilder.ImplicitVRLittleEndian);
    }

    [Theory]
    [InlineData(DicomFileBuilder.ImplicitVRLittleEndian, true, true)]
    [InlineData(DicomFileBuilder.ExplicitVRLittleEndian, true, false)]
    [InlineData(DicomFileBuilder.ExplicitVRLittleEndian, false, true)]
    [InlineData(DicomFileBuilder.ExplicitVRBigEndian, true, true)]
    [InlineData(DicomFileBuilder.ExplicitVRBigEndian, false, false)]
    public void Read_NestedSequencesBeforeRequestedTags_SkipsThem(string syntax, bool undefinedLength, bool undefinedLengthItems)
    {
        DicomFileBuilder Item(DicomFileBuilder? inner) => inner is null
            ? new DicomFileBuilder(syntax).AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2.840")
            : new DicomFileBuilder(syntax).AddSequence(new DicomTag(0x0008, 0x1140), undefinedLength, undefinedLengthItems, inner, inner);

        var nested = Item(Item(Item(null)));
        var header = Reader.Read(Typical(syntax, between: b => b
            .AddSequence(new DicomTag(0x0008, 0x1115), undefinedLength, undefinedLengthItems, nested, nested)
            // A private sequence and a private element, as vendors write them (PS3.5 §7.8).
            .AddString(new DicomTag(0x0009, 0x0010), "LO", "ACME 1.0")
            .AddSequence(new DicomTag(0x0009, 0x1001), undefinedLength, undefinedLengthItems, nested)).Build());
        AssertTypical(header, syntax);
    }

    [Fact]
    public void Read_UnElementOfUndefinedLength_ParsesItsItemsAsImplicitLittleEndian()
    {
        // PS3.5 §6.2.2: a UN sequence is implicit VR little endian even in a big endian file.
        var item = new DicomFileBuilder(DicomFileBuilder.ImplicitVRLittleEndian)
            .AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2.840")
            .AddSequence(new DicomTag(0x0008, 0x1199), true, true, new DicomFileBuilder(DicomFileBuilder.ImplicitVRLittleEndian).AddString(new DicomTag(0x0008, 0x1155), "UI", "1.2"));
        foreach (var syntax in new[] { DicomFileBuilder.ExplicitVRLittleEndian, DicomFileBuilder.ExplicitVRBigEndian })
        {
            var file = Typical(syntax, between: b => b.AddUnSequence(new DicomTag(0x0009, 0x1010), item, item)).Build();
            AssertTypical(Reader.Read(file), syntax);
        }
    }

    [Fact]
    public void Read_KnownTagEncodedAsUN_DecodesWithItsDictionaryVR()
    {
        var file = new DicomFileBuilder()
            .Add(DicomTags.PatientName, "UN", Encoding.ASCII.GetBytes("Doe^John "))
            .Add(DicomTags.Rows, "UN", [0x00, 0x02])
            .Build();
        var header = Reader.Read(file);
        Assert.Equal("Doe^John", header.GetString(DicomTags.PatientName));
        Assert.Equal("512", header.GetString(DicomTags.Rows));
    }

    [Fact]
    public void Read_MultiValuedAndPaddedValues_SplitsAndTrimsAsPydicom()
    {
        var file = new DicomFileBuilder()
            .AddString(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100")
            .Add(DicomTags.SopClassUid, "UI", "1.2.3\0"u8.ToArray())
            .AddString(DicomTags.StudyDescription, "LO", "  head\\neck  ")
            .Add(DicomTags.SeriesDescription, "LO", [])
            .AddString(DicomTags.InstanceNumber, "IS", " 12 \\ 13")
            .AddUInt16(DicomTags.Rows, 1, 2)
            .Build();
        var header = Reader.Read(file);
        Assert.Equal(["1.2.3"], header.GetValues(DicomTags.SopClassUid));
        // LO keeps leading spaces (pydicom strips trailing ones only); IS drops both.
        Assert.Equal(["  head", "neck"], header.GetValues(DicomTags.StudyDescription));
        Assert.Equal([], header.GetValues(DicomTags.SeriesDescription));
        Assert.Equal(["12", "13"], header.GetValues(DicomTags.InstanceNumber));
        Assert.Equal(["1", "2"], header.GetValues(DicomTags.Rows));
    }

    [Fact]
    public void Read_OddLengthValueWithoutPadding_ReadsItAndTheNextElement()
    {
        var file = new DicomFileBuilder()
            .Add(DicomTags.Modality, "CS", "CT"u8.ToArray())
            .Add(DicomTags.PatientName, "PN", "Doe"u8.ToArray())
            .AddString(DicomTags.PatientId, "LO", "X1")
            .Build();
        var header = Reader.Read(file);
        Assert.Equal("Doe", header.GetString(DicomTags.PatientName));
        Assert.Equal("X1", header.GetString(DicomTags.PatientId));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Müller^Zoë", 28591)]
    [InlineData("ISO_IR 192", "Ωmega^Łukasz=李^四", 65001)]
    [InlineData("GB18030", "Wang^XiaoDong=王^小东", 54936)]
    [InlineData("ISO_IR 144", "Иванов^Иван", 28595)]
    [InlineData("ISO_IR 126", "Παπαδόπουλος", 28597)]
    public void Read_SpecificCharacterSet_DecodesPersonNames(string characterSet, string name, int codePage)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var file = new DicomFileBuilder()
            .AddString(DicomTags.SpecificCharacterSet, "CS", characterSet)
            .AddString(DicomTags.PatientName, "PN", name, Encoding.GetEncoding(codePage))
            .Build();
        var header = Reader.Read(file);
        Assert.Equal(name, header.GetString(DicomTags.PatientName));
        Assert.Null(header.CharacterSetWarning);
    }

    [Fact]
    public void Read_Iso2022Korean_SwitchesAtEscapeAndResetsAtDelimiter()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var hangul = Encoding.GetEncoding(51949).GetBytes("홍길동");
        byte[] value = [.. "Hong^Gildong="u8, 0x1B, (byte)'$', (byte)')', (byte)'C', .. hangul];
        var file = new DicomFileBuilder()
            .Add(DicomTags.SpecificCharacterSet, "CS", "\\ISO 2022 IR 149 "u8.ToArray())
            .Add(DicomTags.PatientName, "PN", value.Length % 2 == 0 ? value : [.. value, (byte)' '])
            .Build();
        Assert.Equal("Hong^Gildong=홍길동", Reader.Read(file).GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Read_UnknownCharacterSet_FallsBackToLatin1AndSaysSo()
    {
        var file = new DicomFileBuilder()
            .AddString(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 999")
            .Add(DicomTags.PatientName, "PN", [(byte)'J', 0xE9, (byte)'r', 0xF4])
            .Build();
        var header = Reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Ok, header.Status);
        Assert.Equal("Jérô", header.GetString(DicomTags.PatientName));
        Assert.Contains("ISO_IR 999", header.CharacterSetWarning, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OnlyLowTagsRequested_StopsAtFirstElementPastThem()
    {
        var reader = new DicomHeaderReader(new DicomHeaderReaderOptions { Tags = [DicomTags.Modality] });
        // After Modality comes an element whose length runs far past the end: never looked at.
        var file = new DicomFileBuilder()
            .AddString(DicomTags.Modality, "CS", "CT")
            .Add(DicomTags.PatientName, "PN", [], length: 0x7FFF)
            .Build();
        var header = reader.Read(file);
        Assert.Equal(DicomHeaderStatus.Ok, header.Status);
        Assert.Equal("CT", header.GetString(DicomTags.Modality));
        Assert.True(header.BytesExamined < file.Length, $"Examined {header.BytesExamined} of {file.Length} bytes.");
    }

    [Fact]
    public void Read_PixelDataRequested_ReportsItsOffsetWithoutReadingIt()
    {
        var reader = new DicomHeaderReader(new DicomHeaderReaderOptions { Tags = [.. DicomTags.IndexTags, DicomTags.PixelData] });
        var prefix = Typical(DicomFileBuilder.ExplicitVRLittleEndian).Build();
        var file = Typical(DicomFileBuilder.ExplicitVRLittleEndian).Add(DicomTags.PixelData, "OW", new byte[4096]).Build();
        var header = reader.Read(file);
        Assert.Equal(prefix.Length, header.PixelDataOffset);
        Assert.True(header.BytesExamined <= prefix.Length + 12);
    }

    [Fact]
    public void TryRead_PrefixEndsInsideHeader_AsksForMoreThenReads()
    {
        var file = Typical(DicomFileBuilder.ExplicitVRLittleEndian).AddString(new DicomTag(0x0028, 0x0030), "DS", "0.5\\0.5").Build();
        Assert.False(Reader.TryRead(file.AsSpan(0, 200), isEndOfFile: false, out _, out var needed));
        Assert.True(needed > 200);
        Assert.True(Reader.TryRead(file.AsSpan(0, Math.Min(needed, file.Length)), isEndOfFile: needed >= file.Length, out var header, out _));
        AssertTypical(header, DicomFileBuilder.ExplicitVRLittleEndian);
    }

    [Fact]
    public async Task ReadAsync_HeaderLongerThanInitialRead_GrowsTheBufferAndReads()
    {
        var reader = new DicomHeaderReader(new DicomHeaderReaderOptions { InitialReadSize = 256 });
        var file = Typical(DicomFileBuilder.ExplicitVRLittleEndian, between: b => b.Add(new DicomTag(0x0009, 0x1000), "OB", new byte[5000]))
            .Add(DicomTags.PixelData, "OW", new byte[100_000]).Build();
        var requests = new List<int>();
        var header = await reader.ReadAsync(InMemoryPrefix.Of(file, requests.Add));
        AssertTypical(header, DicomFileBuilder.ExplicitVRLittleEndian);
        Assert.Equal(256, requests[0]);
        Assert.True(requests.Count is > 1 and < 8, $"Reads: {string.Join(", ", requests)}");
        Assert.True(requests[^1] < 20_000, "The pixel data must not be read.");
    }

    [Fact]
    public void ReadFile_FileOnDisk_ReadsHeader()
    {
        using var folder = new NasPacs.Testing.TempFolder();
        var path = folder.Combine("a.dcm");
        File.WriteAllBytes(path, Typical(DicomFileBuilder.ImplicitVRLittleEndian).Build());
        AssertTypical(Reader.ReadFile(path), DicomFileBuilder.ImplicitVRLittleEndian);
    }

    [Fact]
    public void Constructor_InitialReadSizeOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomHeaderReader(new DicomHeaderReaderOptions { InitialReadSize = 16 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DicomHeaderReader(new DicomHeaderReaderOptions { InitialReadSize = 8192, MaxHeaderSize = 4096 }));
    }

    [Fact]
    public void TryGetKeyword_IndexTags_NameThemAsPs36()
    {
        Assert.True(DicomTags.TryGetKeyword(DicomTags.SopInstanceUid, out var keyword));
        Assert.Equal("SOPInstanceUID", keyword);
        Assert.All(DicomTags.IndexTags, tag => Assert.True(DicomTags.TryGetKeyword(tag, out _)));
        Assert.DoesNotContain(DicomTags.PixelData, DicomTags.IndexTags);
        Assert.False(DicomTags.TryGetKeyword(new DicomTag(0x0009, 0x0010), out _));
    }
}
