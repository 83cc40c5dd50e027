using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using NasPacs.Testing.Dicom;
using NasPacs.Testing.Oracle;

namespace NasPacs.Indexing.Tests;

/// <summary>
/// A header without Study, Series or SOP Instance UID (Type 1, PS3.3) is indexed and reported
/// (<see cref="ErrorCodes.IncompleteHeader"/>): real files cut at an element boundary, found by pydicom.
/// </summary>
public sealed class RequiredUidsTests : IDisposable
{
    /// <summary>Prints where the element with the tag (hex) or the first one after it starts: pydicom rewinds there.</summary>
    private const string ElementStart = """
        import sys
        from pydicom.filereader import read_partial
        tag = int(sys.argv[2], 16)
        with open(sys.argv[1], "rb") as f:
            read_partial(f, stop_when=lambda t, vr, length: t >= tag)
            print(f.tell())
        """;

    private const string Cut = "cut/short.dcm";

    private readonly IndexFixture _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task StartAsync_FileCutBeforeSeriesUid_IndexesItAndReportsTheMissingUid()
    {
        var length = CutCtSmall(before: "0020000E");
        _index.CopyPydicom("MR_small.dcm", "whole/1.dcm");

        var status = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.Equal(1, status.Errors);
        Assert.Equal(1, status.ErrorsByCategory[ErrorCategory.Dicom]);
        Assert.Equal([$"{Cut} 0", "whole/1.dcm 0"], _index.Strings("SELECT path || ' ' || state FROM file_paths ORDER BY path"));
        var found = await _index.Query().SearchSeriesAsync(new SeriesSearch { Modality = "CT" });
        Assert.StartsWith("study:", Assert.Single(found.Items).SeriesKey, StringComparison.Ordinal);

        var error = Assert.Single((await _index.Query().GetErrorsAsync(new ErrorSearch())).Items).Report;
        Assert.Equal((ErrorCategory.Dicom, ErrorCodes.IncompleteHeader, Cut), (error.Category, error.Code, error.Path));
        Assert.Equal(
            $"The header has no Series Instance UID (0020,000E), and the file stops after {length} bytes, at the end of an element, " +
            "with no Pixel Data (7FE0,0010): it may have been cut short.",
            error.Message);
        Assert.Contains("copy it again", error.Suggestion, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        var patient = _index.Strings("SELECT patient_name || '^' || patient_id FROM series WHERE modality = 'CT'").Single();
        Assert.All(patient.Split('^'), part => Assert.DoesNotContain(part, error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_FileCutBeforeSopInstanceUid_NamesAllThreeUids()
    {
        CutCtSmall(before: "00080018");

        await _index.IndexAsync();

        Assert.StartsWith(
            "The header has no Study Instance UID (0020,000D), Series Instance UID (0020,000E) and SOP Instance UID (0008,0018), ",
            _index.Strings("SELECT message FROM errors").Single(), StringComparison.Ordinal);
        Assert.Equal(["folder:cut"], _index.Strings("SELECT series_key FROM series"));
    }

    [Fact]
    public async Task StartAsync_UnchangedThenTouched_KeepsExactlyOneReport()
    {
        CutCtSmall(before: "0020000E");
        await _index.IndexAsync();

        var unchanged = await _index.IndexAsync();

        Assert.Equal((1, 0L), (unchanged.UnchangedFiles, unchanged.Errors));
        Assert.Equal([$"{Cut} {ErrorCodes.IncompleteHeader}"], _index.Strings("SELECT path || ' ' || code FROM errors"));
        Assert.Equal(1, (await _index.Query().GetErrorsAsync(new ErrorSearch())).Total);

        // Read again (mtime changed, same bytes): the new report replaces the old one.
        File.SetLastWriteTimeUtc(_index.Combine(Cut), DateTime.UtcNow.AddMinutes(1));
        var touched = await _index.IndexAsync();

        Assert.Equal((1, 1L), (touched.ModifiedFiles, touched.Errors));
        Assert.Equal([$"{Cut} {touched.RunId}"], _index.Strings("SELECT path || ' ' || run_id FROM errors"));
    }

    [Fact]
    public async Task StartAsync_ReplacedByCompleteCopy_ClearsTheReport()
    {
        CutCtSmall(before: "0020000E");
        Assert.Equal(1, (await _index.IndexAsync()).Errors);

        _index.CopyPydicom("CT_small.dcm", Cut);
        var replaced = await _index.IndexAsync();

        Assert.Equal((1, 0L), (replaced.ModifiedFiles, replaced.Errors));
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM errors"));
        Assert.Equal(0, (await _index.Query().GetErrorsAsync(new ErrorSearch())).Total);
        Assert.DoesNotContain("study:", _index.Strings("SELECT series_key FROM series").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ReportedFileDeleted_TakesItsReportAlong()
    {
        CutCtSmall(before: "0020000E");
        _index.CopyPydicom("MR_small.dcm", "whole/1.dcm");
        Assert.Equal(1, (await _index.IndexAsync()).Errors);

        File.Delete(_index.Combine(Cut));
        var swept = await _index.IndexAsync();

        Assert.Equal(1, swept.RemovedFiles);
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM errors"));
    }

    [Fact]
    public async Task StartAsync_EmptyUidOrDeflatedDataset_ReportsWithoutClaimingWhereTheFileEnds()
    {
        // Pixel Data follows the header; an empty value counts as missing (Type 1: present with a value).
        File.WriteAllBytes(_index.Combine("empty-study.dcm"), new DicomFileBuilder()
            .AddString(DicomTags.SopInstanceUid, "UI", "1.2.3.4")
            .AddString(DicomTags.StudyInstanceUid, "UI", "")
            .AddString(DicomTags.SeriesInstanceUid, "UI", "1.2.3")
            .Add(DicomTags.PixelData, "OW", new byte[64])
            .Build());
        // A deflated dataset: how far the parse went counts compressed bytes, so nothing is said about the end.
        File.WriteAllBytes(_index.Combine("deflated.dcm"), new DicomFileBuilder(DicomFileBuilder.DeflatedExplicitVRLittleEndian)
            .AddString(DicomTags.Modality, "CS", "OT")
            .Build());

        await _index.IndexAsync();

        Assert.Equal(
            [
                "deflated.dcm: The header has no Study Instance UID (0020,000D), Series Instance UID (0020,000E) and SOP Instance UID (0008,0018): the file may have been cut short.",
                "empty-study.dcm: The header has no Study Instance UID (0020,000D): the file may have been cut short.",
            ],
            _index.Strings("SELECT path || ': ' || message FROM errors ORDER BY path"));
        Assert.Equal(2, _index.Scalar("SELECT COUNT(*) FROM files WHERE state = 0"));
    }

    /// <summary>
    /// Every file of pydicom's corpus that NasPacs indexes is reported exactly when pydicom finds a required UID missing or
    /// empty. A color palette (a non-patient object, PS3.4 Annex GG) has no study or series and needs only its SOP Instance UID.
    /// </summary>
    [Fact]
    public async Task StartAsync_PydicomCorpus_ReportsExactlyTheFilesPydicomFindsWithoutARequiredUid()
    {
        foreach (var file in PydicomOracle.CorpusFiles())
        {
            var copy = _index.Combine(Path.GetRelativePath(PydicomOracle.CorpusRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        await _index.IndexAsync();

        var indexed = _index.Strings("SELECT path FROM file_paths WHERE state = 0");
        var directories = _index.Strings($"SELECT path FROM file_paths WHERE state = {(int)IndexedFileState.DicomDir}");
        var reports = _index.Strings($"SELECT path || '|' || message FROM errors WHERE code = '{ErrorCodes.IncompleteHeader}'")
            .Select(r => r.Split('|', 2)).ToDictionary(r => r[0], r => r[1]);
        var keywords = new[] { "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID", "SOPClassUID", "MediaStorageSOPClassUID" };
        var pydicom = PydicomOracle.Run(indexed.Concat(directories).Select(_index.Combine), keywords);
        Assert.True(indexed.Count > 100, $"Only {indexed.Count} corpus files were indexed.");

        // DICOMDIRs under other names (DICOMDIR-bigEnd, …) are recognised by their Media Storage SOP Class, not indexed as series.
        Assert.True(directories.Count >= 6, $"Only {directories.Count} DICOMDIRs under other names were recognised.");
        foreach (var path in directories)
        {
            Assert.Equal(["1.2.840.10008.1.3.10"], pydicom[_index.Combine(path)].Tags.GetValueOrDefault("MediaStorageSOPClassUID") ?? []);
            Assert.False(reports.ContainsKey(path), $"{path}: a DICOMDIR is not an incomplete image header.");
        }

        Assert.DoesNotContain(indexed, p => pydicom[_index.Combine(p)].Tags.GetValueOrDefault("MediaStorageSOPClassUID") is ["1.2.840.10008.1.3.10"]);
        Assert.Contains(reports.Keys, p => p.StartsWith("test_files/", StringComparison.Ordinal));
        foreach (var path in indexed)
        {
            var expected = pydicom[_index.Combine(path)];
            Assert.True(expected.Read, $"{path}: pydicom does not read it ({expected.Error}).");
            var palette = expected.Tags.GetValueOrDefault("SOPClassUID") is ["1.2.840.10008.5.1.4.39.1"];
            var missing = keywords[..3].Where(k => expected.Tags.GetValueOrDefault(k) is null or [] or [""])
                .Where(k => !palette || k == "SOPInstanceUID").ToArray();
            Assert.True(missing.Length > 0 == reports.ContainsKey(path), $"{path}: pydicom finds [{string.Join(", ", missing)}] missing; report: {reports.GetValueOrDefault(path)}");
            if (reports.TryGetValue(path, out var message) && message.Contains("with no Pixel Data", StringComparison.Ordinal))
            {
                Assert.Null(expected.PixelDataOffset);
            }
        }
    }

    /// <summary>Writes CT_small.dcm up to the start of the element <paramref name="before"/> (hex) to <see cref="Cut"/>; returns the length.</summary>
    private int CutCtSmall(string before)
    {
        var source = Path.Combine(IndexFixture.PydicomFiles, "CT_small.dcm");
        var length = int.Parse(IndexFixture.Python(ElementStart, source, before), System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(_index.Combine("cut"));
        File.WriteAllBytes(_index.Combine(Cut), File.ReadAllBytes(source)[..length]);
        return length;
    }
}
