using System.Text;
using NasPacs.Testing.Dicom;

namespace NasPacs.Dicom.Tests;

/// <summary>The reusable, decode-on-demand result: the same answers as <see cref="DicomHeader"/>, and nothing left over between files.</summary>
public class DicomHeaderValuesTests
{
    private static readonly DicomTag[] SeriesTags = [DicomTags.PatientName, DicomTags.SeriesInstanceUid, DicomTags.Modality];

    private static readonly DicomHeaderReader Reader = new();

    private readonly DicomHeaderValues _values = new();

    /// <summary>Reads a whole file into the test's one reused result.</summary>
    private DicomHeaderValues Read(byte[] file)
    {
        Assert.True(Reader.TryRead(file, isEndOfFile: true, _values, out _));
        return _values;
    }

    private static byte[] File(string seriesUid, string sopUid, string patientName = "Doe^Jane") => new DicomFileBuilder()
        .AddString(DicomTags.SopInstanceUid, "UI", sopUid)
        .AddString(DicomTags.Modality, "CS", "CT")
        .AddString(DicomTags.PatientName, "PN", patientName)
        .AddString(DicomTags.SeriesInstanceUid, "UI", seriesUid)
        .AddString(DicomTags.InstanceNumber, "IS", " 7")
        .Build();

    private static string? Text(DicomHeaderValues values, DicomTag tag, int room = 128)
    {
        Span<char> buffer = stackalloc char[room];
        return values.TryGetString(tag, buffer, out var written) ? new string(buffer[..written]) : null;
    }

    [Theory]
    [InlineData("test_files/dicomdirtests/DICOMDIR", true)]
    [InlineData("test_files/dicomdirtests/DICOMDIR-bigEnd", true)]
    [InlineData("test_files/dicomdirtests/DICOMDIR-implicit", true)]
    [InlineData("test_files/CT_small.dcm", false)]
    [InlineData("test_files/MR_small_bigendian.dcm", false)]
    public void TryRead_PydicomFile_TellsADicomDirByItsMediaStorageSopClass(string file, bool isDirectory)
    {
        var values = Read(System.IO.File.ReadAllBytes(Path.Combine(Testing.Oracle.PydicomOracle.CorpusRoot, file)));

        Assert.Equal(isDirectory, values.IsMediaStorageDirectory);
    }

    [Fact]
    public void TryRead_ImageAfterADicomDir_IsNotADirectory()
    {
        Read(System.IO.File.ReadAllBytes(Path.Combine(Testing.Oracle.PydicomOracle.CorpusRoot, "test_files/dicomdirtests/DICOMDIR")));

        Assert.False(Read(File("1.2.3", "1.2.3.1")).IsMediaStorageDirectory);
    }

    [Fact]
    public void TryRead_ReusedForAnotherFile_KeepsNothingOfTheFirst()
    {
        Read(File("1.2.3", "1.2.3.1"));
        var second = new DicomFileBuilder().AddString(DicomTags.Modality, "CS", "MR").Build();

        var values = Read(second);

        Assert.Equal(DicomHeaderStatus.Ok, values.Status);
        Assert.Equal(1, values.Count);
        Assert.Equal("MR", values.GetString(DicomTags.Modality));
        Assert.Null(values.GetString(DicomTags.SeriesInstanceUid));
        Assert.False(values.Contains(DicomTags.PatientName));
        Assert.Null(Text(values, DicomTags.SopInstanceUid));
    }

    [Fact]
    public void TryGetString_SingleValues_EqualsGetStringOfDicomHeader()
    {
        var file = File("1.2.3", "1.2.3.1");
        var header = Reader.Read(file);
        var values = Read(file);

        foreach (var tag in DicomTags.IndexTags)
        {
            Assert.Equal(header.GetString(tag), values.GetString(tag));
            Assert.Equal(header.GetString(tag), Text(values, tag));
            Assert.Equal(header.GetValues(tag), values.GetValues(tag));
        }

        Assert.Equal("7", Text(values, DicomTags.InstanceNumber)); // IS: leading spaces are insignificant (PS3.5 §6.2)
    }

    [Fact]
    public void TryGetString_DestinationTooSmall_ReturnsFalse()
    {
        var values = Read(File("1.2.840.10008.99.1234567890", "1.2.3.1"));

        Assert.Null(Text(values, DicomTags.SeriesInstanceUid, room: 8));
        Assert.Equal("1.2.840.10008.99.1234567890", Text(values, DicomTags.SeriesInstanceUid));
    }

    [Fact]
    public void TryGetString_MultipleValuesAndIso2022Escapes_MatchTheDecodedStrings()
    {
        // Values the allocation-free path hands to the ordinary decoder: several values, person name groups, escapes.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var greek = Encoding.GetEncoding(28597).GetBytes("Διονυσιος");
        byte[] name = [.. "Dionysios="u8, 0x1B, (byte)'-', (byte)'F', .. greek];
        var file = new DicomFileBuilder()
            .Add(DicomTags.SpecificCharacterSet, "CS", "\\ISO 2022 IR 126"u8.ToArray())
            .Add(DicomTags.StudyDate, "DA", "20240101\\20240102 "u8.ToArray())
            .Add(DicomTags.StudyDescription, "LO", " a \\ b "u8.ToArray())
            .Add(DicomTags.PatientName, "PN", name.Length % 2 == 0 ? name : [.. name, (byte)' '])
            .Build();
        var header = Reader.Read(file);
        var values = Read(file);

        foreach (var tag in new[] { DicomTags.StudyDate, DicomTags.StudyDescription, DicomTags.PatientName })
        {
            Assert.Equal(header.GetString(tag), Text(values, tag));
        }

        Assert.Equal("Dionysios=Διονυσιος", values.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Snapshot_SameSeriesValues_ReturnsThePreviousSnapshot()
    {
        var first = Read(File("1.2.3", "1.2.3.1")).Snapshot(SeriesTags);

        var second = Read(File("1.2.3", "1.2.3.2")).Snapshot(SeriesTags, first);

        Assert.Same(first, second);
    }

    [Fact]
    public void Snapshot_DifferentSeriesValue_ReturnsANewCopyThatOutlivesTheNextRead()
    {
        var first = Read(File("1.2.3", "1.2.3.1")).Snapshot(SeriesTags);

        var second = Read(File("1.2.3", "1.2.3.2", patientName: "Doe^John")).Snapshot(SeriesTags, first);
        Read(File("9.9", "9.9.1"));

        Assert.NotSame(first, second);
        Assert.Equal("Doe^Jane", first.GetString(DicomTags.PatientName));
        Assert.Equal("Doe^John", second.GetString(DicomTags.PatientName));
        Assert.Equal("1.2.3", second.GetString(DicomTags.SeriesInstanceUid));
        Assert.Null(second.GetString(DicomTags.SopInstanceUid)); // not among the snapshot's tags
    }

    [Fact]
    public void Snapshot_AnElementMissingFromTheNextFile_ReturnsANewCopy()
    {
        var first = Read(File("1.2.3", "1.2.3.1")).Snapshot(SeriesTags);
        var withoutName = new DicomFileBuilder().AddString(DicomTags.Modality, "CS", "CT").AddString(DicomTags.SeriesInstanceUid, "UI", "1.2.3").Build();

        var second = Read(withoutName).Snapshot(SeriesTags, first);

        Assert.NotSame(first, second);
        Assert.Null(second.GetValues(DicomTags.PatientName));
    }

    [Fact]
    public void TryRead_TruncatedFile_KeepsTheElementsBeforeTheProblemAsDicomHeaderDoes()
    {
        var file = new DicomFileBuilder().AddString(DicomTags.Modality, "CS", "CT").Add(DicomTags.PatientName, "PN", "Doe^"u8.ToArray(), length: 400).Build();
        var header = Reader.Read(file);

        var values = Read(file);

        Assert.Equal(DicomHeaderStatus.Truncated, values.Status);
        Assert.Equal(header.Error, values.Error);
        Assert.Equal("CT", values.GetString(DicomTags.Modality));
        Assert.Equal(header.Elements.Keys, values.ToHeader().Elements.Keys);
    }
}
