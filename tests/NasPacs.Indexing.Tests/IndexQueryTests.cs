using System.Text.Json;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Tests;

public sealed class IndexQueryTests : IDisposable
{
    private readonly IndexFixture _index = new();

    public void Dispose() => _index.Dispose();

    private async Task<IIndexQuery> IndexPydicomAsync()
    {
        _index.CopyPydicom("CT_small.dcm", "ct/1.dcm");
        _index.CopyPydicom("MR_small.dcm", "mr/1.dcm");
        _index.CopyPydicom("MR_small.dcm", "mr/2.dcm");
        _index.CopyPydicom("rtplan.dcm", "rt/plan.dcm");
        Assert.Equal(IndexState.Completed, (await _index.IndexAsync()).Phase);
        return _index.Query();
    }

    [Fact]
    public async Task SearchSeriesAsync_TextModalityAndDates_FilterAsTheDatabaseHolds()
    {
        var query = await IndexPydicomAsync();
        var all = await query.SearchSeriesAsync(new SeriesSearch());
        Assert.Equal(3, all.Total);

        // Every series can be found by a prefix of a word of its patient name.
        foreach (var series in all.Items.Where(s => s.PatientName is { Length: > 3 }))
        {
            var word = series.PatientName!.Split('^', ' ')[0];
            var found = await query.SearchSeriesAsync(new SeriesSearch { Text = word[..3].ToLowerInvariant() });
            Assert.Contains(found.Items, s => s.SeriesKey == series.SeriesKey);
        }

        var ct = await query.SearchSeriesAsync(new SeriesSearch { Modality = "ct" });
        Assert.All(ct.Items, s => Assert.Equal("CT", s.Modality));
        Assert.Equal(_index.Scalar("SELECT COUNT(*) FROM series WHERE modality = 'CT'"), ct.Total);

        var dated = all.Items.First(s => s.StudyDate is { Length: 8 });
        var day = DateOnly.ParseExact(dated.StudyDate!, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var onDay = await query.SearchSeriesAsync(new SeriesSearch { From = day, To = day });
        Assert.All(onDay.Items, s => Assert.Equal(dated.StudyDate, s.StudyDate));
        Assert.Contains(onDay.Items, s => s.SeriesKey == dated.SeriesKey);
        Assert.Equal(0, (await query.SearchSeriesAsync(new SeriesSearch { To = day.AddYears(-200) })).Total);
        Assert.Equal(0, (await query.SearchSeriesAsync(new SeriesSearch { Text = "zzzznotaname" })).Total);
    }

    [Fact]
    public async Task SearchSeriesAsync_Paging_ReturnsEachSeriesOnce()
    {
        var query = await IndexPydicomAsync();
        var keys = new List<string>();
        for (var offset = 0; offset < 3; offset++)
        {
            var page = await query.SearchSeriesAsync(new SeriesSearch { Page = new PageRequest(offset, 1), Sort = SeriesSort.PatientName });
            Assert.Equal(3, page.Total);
            keys.Add(Assert.Single(page.Items).SeriesKey);
        }

        Assert.Equal(3, keys.Distinct().Count());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => query.SearchSeriesAsync(new SeriesSearch { Page = new PageRequest(0, 0) }));
    }

    [Fact]
    public async Task GetSeriesFilesAsync_KnownSeries_ReturnsItsFilesWithInstanceData()
    {
        var query = await IndexPydicomAsync();
        var mr = (await query.SearchSeriesAsync(new SeriesSearch { Modality = "MR" })).Items.Single();

        var files = await query.GetSeriesFilesAsync(mr.SeriesKey, new PageRequest(0, 10));

        Assert.Equal(2, mr.FileCount);
        Assert.Equal(["mr/1.dcm", "mr/2.dcm"], files.Items.Select(f => f.RelativePath).Order(StringComparer.Ordinal));
        Assert.All(files.Items, f =>
        {
            Assert.Equal(IndexedFileState.Indexed, f.State);
            Assert.False(string.IsNullOrEmpty(f.SopInstanceUid));
            Assert.False(string.IsNullOrEmpty(f.TransferSyntaxUid));
        });
        Assert.Null(await query.GetSeriesAsync("no-such-series"));
        Assert.Equal(mr, await query.GetSeriesAsync(mr.SeriesKey));
    }

    [Fact]
    public async Task ExportAsync_DesignFormat_EqualsWhatTheDatabaseHolds()
    {
        var query = await IndexPydicomAsync();
        using var stream = new MemoryStream();

        await query.ExportAsync(stream, new ExportOptions { AbsolutePaths = false });

        using var json = JsonDocument.Parse(stream.ToArray());
        var exported = json.RootElement.EnumerateArray().ToList();
        var series = (await query.SearchSeriesAsync(new SeriesSearch { Page = new PageRequest(0, 1000) })).Items;
        Assert.Equal(series.Count, exported.Count);
        foreach (var element in exported)
        {
            var key = element.GetProperty("SeriesKey").GetString()!;
            var held = series.Single(s => s.SeriesKey == key);
            Assert.Equal(held.PatientName ?? "", element.GetProperty("PatientName").GetString());
            Assert.Equal(held.PatientId ?? "", element.GetProperty("PatientID").GetString());
            Assert.Equal(held.PatientBirthDate ?? "", element.GetProperty("PatientBirthDate").GetString());
            Assert.Equal(held.StudyDate ?? "", element.GetProperty("StudyDate").GetString());
            Assert.Equal(held.StudyDescription ?? "", element.GetProperty("StudyDescription").GetString());
            Assert.Equal(held.SeriesDescription ?? "", element.GetProperty("SeriesDescription").GetString());
            Assert.Equal(held.SeriesNumber ?? "", element.GetProperty("SeriesNumber").GetString());
            Assert.Equal(held.Modality ?? "", element.GetProperty("Modality").GetString());
            var files = element.GetProperty("files").EnumerateArray().Select(f => f.GetString()!).ToList();
            Assert.Equal(held.FileCount, element.GetProperty("file_count").GetInt64());
            Assert.Equal(files.Count, element.GetProperty("file_count").GetInt32());
            var page = await query.GetSeriesFilesAsync(key, new PageRequest(0, 1000));
            Assert.Equal(page.Items.Select(f => f.RelativePath).Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task ExportAsync_AbsolutePaths_RenderBelowTheRoot()
    {
        var query = await IndexPydicomAsync();
        using var stream = new MemoryStream();

        await query.ExportAsync(stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var paths = json.RootElement.EnumerateArray().SelectMany(s => s.GetProperty("files").EnumerateArray()).Select(f => f.GetString()!).ToList();
        Assert.Equal(4, paths.Count);
        Assert.All(paths, p => Assert.True(File.Exists(p), $"{p} does not exist"));
    }

    [Fact]
    public async Task GetErrorsAndRuns_AfterARunWithABadFile_ArePagedAndFiltered()
    {
        File.WriteAllText(_index.Combine("bad.dcm"), "not dicom");
        var query = await IndexPydicomAsync();

        var dicom = await query.GetErrorsAsync(new ErrorSearch { Category = ErrorCategory.Dicom });
        var network = await query.GetErrorsAsync(new ErrorSearch { Category = ErrorCategory.Network });
        var runs = await query.GetRunsAsync(new PageRequest());
        var totals = await query.GetTotalsAsync();

        Assert.Equal("bad.dcm", Assert.Single(dicom.Items).Report.Path);
        Assert.Equal(0, network.Total);
        var run = Assert.Single(runs.Items);
        Assert.Equal(IndexRunOutcome.Completed, run.Outcome);
        Assert.Equal(5, run.EnumeratedFiles);
        Assert.Equal(1, run.Errors);
        Assert.Equal(new IndexTotals(3, 4, totals.TotalBytes, 1, _index.Root), totals);
    }
}
