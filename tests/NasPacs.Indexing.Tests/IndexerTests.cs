using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

public sealed class IndexerTests : IDisposable
{
    private const string PydicomSeriesUid = """
        import sys, pydicom
        for path in sys.argv[1:]:
            print(pydicom.dcmread(path, stop_before_pixels=True).SeriesInstanceUID)
        """;

    private readonly IndexFixture _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task StartAsync_GeneratedTree_IndexesEveryFileIntoItsSeries()
    {
        IndexFixture.Generate(_index.Root, patients: 2, studies: 1, series: 3, instances: 10);

        var status = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.False(status.Running);
        Assert.Equal(60, status.EnumeratedFiles);
        Assert.Equal(60, status.FilesProcessed);
        Assert.Equal(60, status.NewFiles);
        Assert.Equal(6, status.SeriesCount);
        Assert.Equal(0, status.Errors);
        Assert.True(status.BytesRead > 0);
        Assert.Equal(60, _index.Scalar("SELECT COUNT(*) FROM files WHERE state = 0"));
        Assert.Equal(6, _index.Scalar("SELECT COUNT(*) FROM series WHERE file_count = 10"));
        Assert.Equal(_index.Scalar("SELECT SUM(size) FROM files"), _index.Scalar("SELECT SUM(total_bytes) FROM series"));

        // pydicom, the reference reader, agrees on the series of a file.
        var path = Directory.EnumerateFiles(_index.Root, "IM000003*", SearchOption.AllDirectories).First();
        var relative = Path.GetRelativePath(_index.Root, path).Replace('\\', '/');
        var expected = Python(PydicomSeriesUid, path);
        var actual = _index.Strings($"SELECT s.series_key FROM file_paths p JOIN series s ON s.id = p.series_id WHERE p.path = '{relative}'");
        Assert.Equal([expected], actual);
    }

    [Fact]
    public async Task StartAsync_ManySmallTransactions_GivesEverySeriesOneFullTextRow()
    {
        IndexFixture.Generate(_index.Root, patients: 3, studies: 2, series: 2, instances: 3);

        // Three files per transaction: series begin in one transaction and gain files in the next (schema V004).
        var status = await _index.IndexAsync(o => o.WriteBatchSize = 3);

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.Equal(12, status.SeriesCount);
        using (var connection = new Storage.IndexDatabase(_index.DatabasePath).Open())
        {
            // Fails (SQLITE_CORRUPT_VTAB) when the full-text index and the series disagree.
            Storage.IndexDatabase.Execute(connection, "INSERT INTO series_fts (series_fts, rank) VALUES ('integrity-check', 1)");
        }

        Assert.Equal(12, _index.Scalar("SELECT COUNT(DISTINCT doc) FROM series_fts_terms"));
        Assert.Equal(12, _index.Scalar("SELECT COUNT(*) FROM series s WHERE EXISTS (SELECT 1 FROM series_fts_terms v WHERE v.doc = s.id)"));
        var name = _index.Strings("SELECT patient_id FROM series ORDER BY id DESC LIMIT 1").Single();
        Assert.Equal(4, _index.Scalar($"SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH '\"{name}\"'"));
    }

    [Fact]
    public async Task StartAsync_MixedFiles_ClassifiesEachAndKeepsGoing()
    {
        _index.CopyPydicom("CT_small.dcm", "Müller Jörg/CT Thorax 1/Bild 1.dcm");
        _index.CopyPydicom("MR_small.dcm", "患者/系列/图像.dcm");
        _index.CopyPydicom("dicomdirtests/DICOMDIR", "cd/DICOMDIR");
        File.WriteAllText(_index.Combine("fake.dcm"), "this is not DICOM at all, just text with a .dcm name");
        File.WriteAllText(_index.Combine("docs/README"), "a readme without an extension");
        File.WriteAllText(_index.Combine("docs/report.pdf"), "not a candidate");
        var ct = File.ReadAllBytes(Path.Combine(IndexFixture.PydicomFiles, "CT_small.dcm"));
        File.WriteAllBytes(_index.Combine("cut/short.dcm"), ct[..1000]); // ends inside an element value

        var status = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.Equal(5, status.EnumeratedFiles);
        Assert.Equal(1, status.DicomDirFiles);
        Assert.Equal(2, status.NotDicomFiles);
        Assert.Equal(2, status.SeriesCount);
        Assert.Equal(2, status.Errors);
        Assert.Equal(2, status.ErrorsByCategory[ErrorCategory.Dicom]);
        Assert.Equal(
            ["cut/short.dcm dicom.truncated", "fake.dcm dicom.not-dicom"],
            _index.Strings("SELECT path || ' ' || code FROM errors ORDER BY path"));
        Assert.Equal(
            ["Bild 1.dcm", "图像.dcm"],
            _index.Strings("SELECT name FROM files WHERE state = 0 ORDER BY name"));
        var errors = await _index.Query().GetErrorsAsync(new ErrorSearch { Category = ErrorCategory.Dicom });
        Assert.Equal(2, errors.Total);
        Assert.All(errors.Items, e => Assert.False(string.IsNullOrWhiteSpace(e.Report.Suggestion)));
    }

    [Fact]
    public async Task StartAsync_FifoSocketAndDeviceNamedAsCandidates_LeftOutAndTheRunCompletes()
    {
        _index.CopyPydicom("CT_small.dcm", "a/CT.dcm");
        SpecialFiles.MakeFifo(_index.Combine("a/pipe.dcm"));
        SpecialFiles.MakeFifo(_index.Combine("a/pipe"));
        SpecialFiles.MakeSocket(_index.Combine("a/socket.dcm"));
        File.CreateSymbolicLink(_index.Combine("a/zero.dcm"), "/dev/zero");
        File.CreateSymbolicLink(_index.Combine("a/to pipe.dcm"), _index.Combine("a/pipe.dcm"));

        // Before, a reader opened the FIFO and waited for a writer: the run never ended, and could not be cancelled.
        var status = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.Equal(1, status.EnumeratedFiles);
        Assert.Equal(0, status.Errors);
        Assert.Equal(["CT.dcm"], _index.Strings("SELECT name FROM files ORDER BY name"));
    }

    [Fact]
    public async Task StartAsync_RootEmptiedLikeAShareThatIsNotMounted_FailsAndRemovesNothingUnlessAllowed()
    {
        IndexFixture.Generate(_index.Root, patients: 1, studies: 1, series: 2, instances: 3);
        Assert.Equal(IndexState.Completed, (await _index.IndexAsync()).Phase);

        // What a mount point looks like when the NAS did not mount: the folder is there, with nothing DICOM in it.
        Directory.Move(_index.Root, _index.Root + ".away");
        File.WriteAllText(_index.Combine("README.txt"), "mount point");
        var failed = await _index.IndexAsync();

        Assert.Equal(IndexState.Failed, failed.Phase);
        Assert.Contains("Nothing was removed from the index", failed.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("holds 6 files", failed.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(0, failed.RemovedFiles);
        Assert.Equal(6, _index.Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(2, _index.Scalar("SELECT COUNT(*) FROM series"));

        var allowed = await _index.IndexAsync(o => o.AllowEmptyRoot = true);

        Assert.Equal(IndexState.Completed, allowed.Phase);
        Assert.Equal(6, allowed.RemovedFiles);
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM series"));
    }

    [Fact]
    public async Task StartAsync_MissingSeriesUid_GroupsByStudySeriesNumberModalityThenFolder()
    {
        const string Script = """
            import sys, pydicom
            src, out = sys.argv[1], sys.argv[2]
            for folder, number, keep_study in (("a", 5, True), ("b", 6, True), ("c", 7, False)):
                for i in range(3):
                    ds = pydicom.dcmread(src)
                    del ds.SeriesInstanceUID
                    ds.SeriesNumber = number
                    ds.SOPInstanceUID = f"1.2.3.{number}.{i}"
                    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
                    if keep_study:
                        ds.StudyInstanceUID = "1.2.3.100"
                    else:
                        del ds.StudyInstanceUID
                    ds.save_as(f"{out}/{folder}/IM{i}.dcm")
            """;
        foreach (var folder in new[] { "a", "b", "c" })
        {
            Directory.CreateDirectory(_index.Combine(folder));
        }

        IndexFixture.Python(Script, Path.Combine(IndexFixture.PydicomFiles, "CT_small.dcm"), _index.Root);

        var status = await _index.IndexAsync();

        Assert.Equal(3, status.SeriesCount);
        Assert.Equal(
            ["folder:c 3", "study:1.2.3.100|5|CT 3", "study:1.2.3.100|6|CT 3"],
            _index.Strings("SELECT series_key || ' ' || file_count FROM series ORDER BY series_key"));

        // The key is stable: a re-run after touching every file regroups them into the same series.
        foreach (var file in Directory.EnumerateFiles(_index.Root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        }

        var second = await _index.IndexAsync();
        Assert.Equal(9, second.ModifiedFiles);
        Assert.Equal(
            ["folder:c 3", "study:1.2.3.100|5|CT 3", "study:1.2.3.100|6|CT 3"],
            _index.Strings("SELECT series_key || ' ' || file_count FROM series ORDER BY series_key"));
    }

    [Fact]
    public async Task StartAsync_UnchangedTree_ReadsNoHeaderAndChangesNothing()
    {
        IndexFixture.Generate(_index.Root, patients: 1, studies: 1, series: 2, instances: 10);
        await _index.IndexAsync();

        var second = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, second.Phase);
        Assert.Equal(20, second.UnchangedFiles);
        Assert.Equal(0, second.NewFiles + second.ModifiedFiles + second.RemovedFiles);
        Assert.Equal(0, second.BytesRead);
        Assert.Equal(20, _index.Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(["completed", "completed"], _index.Strings("SELECT outcome FROM runs ORDER BY id"));
    }

    [Fact]
    public async Task StartAsync_FirstIndex_StoresEachFilesSizeAndTimeAsTheFileSystemHasThem()
    {
        // To the tick: a re-index compares them exactly (sub-second times included).
        IndexFixture.Generate(_index.Root, patients: 1, studies: 1, series: 2, instances: 3);
        _index.CopyPydicom("CT_small.dcm", "p/ct/1.dcm");
        File.WriteAllBytes(_index.Combine("p/empty.dcm"), []);
        File.WriteAllText(_index.Combine("p/notes"), "not DICOM");
        var files = Directory.EnumerateFiles(_index.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("manifest.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToArray();
        for (var i = 0; i < files.Length; i++)
        {
            File.SetLastWriteTimeUtc(files[i], new DateTime(2021, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567 * (i + 1)));
        }

        var first = await _index.IndexAsync();

        Assert.Equal((files.Length, 1), (first.NewFiles, first.Errors));
        Assert.Equal(
            files.Select(f => $"{Path.GetRelativePath(_index.Root, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}").Order(StringComparer.Ordinal),
            _index.Strings("SELECT path || ' ' || size || ' ' || mtime FROM file_paths").Order(StringComparer.Ordinal));
        Assert.Equal(_index.Scalar("SELECT SUM(size) FROM files WHERE state = 0"), _index.Scalar("SELECT SUM(total_bytes) FROM series"));

        var second = await _index.IndexAsync();
        Assert.Equal((files.Length, 0L), (second.UnchangedFiles, second.BytesRead));
    }

    [Fact]
    public async Task StartAsync_NewIndexHas16KiBPages_AnOlderIndexKeeps4KiBAndGoesOn()
    {
        IndexFixture.Generate(_index.Root, patients: 1, studies: 1, series: 2, instances: 3);
        using var older = new IndexFixture();
        IndexFixture.Generate(older.Root, patients: 1, studies: 1, series: 2, instances: 3);
        Directory.CreateDirectory(Path.GetDirectoryName(older.DatabasePath)!);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={older.DatabasePath}"))
        {
            // An index made before 16 KiB pages: the page size is fixed by the first table.
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "PRAGMA page_size = 4096; CREATE TABLE made_before (x); DROP TABLE made_before;";
            create.ExecuteNonQuery();
        }

        var fresh = await _index.IndexAsync();
        var first = await older.IndexAsync();
        var again = await older.IndexAsync();

        Assert.Equal((IndexState.Completed, 6L), (fresh.Phase, fresh.NewFiles));
        Assert.Equal(16384, _index.Scalar("PRAGMA page_size"));
        Assert.Equal((IndexState.Completed, 6L, 6L), (first.Phase, first.NewFiles, again.UnchangedFiles));
        Assert.Equal(4096, older.Scalar("PRAGMA page_size"));
    }

    [Fact]
    public async Task StartAsync_TouchReplaceDeleteAdd_ReportsAndAppliesEachChange()
    {
        _index.CopyPydicom("CT_small.dcm", "p/ct/1.dcm");
        _index.CopyPydicom("CT_small.dcm", "p/ct2/1.dcm");
        _index.CopyPydicom("MR_small.dcm", "p/mr/1.dcm");
        _index.CopyPydicom("MR_small.dcm", "p/mr/2.dcm");
        _index.CopyPydicom("rtplan.dcm", "p/rt/plan.dcm");
        await _index.IndexAsync();
        Assert.Equal(3, _index.Scalar("SELECT COUNT(*) FROM series"));

        File.SetLastWriteTimeUtc(_index.Combine("p/mr/1.dcm"), DateTime.UtcNow.AddMinutes(5));   // touch
        _index.CopyPydicom("MR_small.dcm", "p/ct2/1.dcm");                                       // replace: CT becomes MR
        File.SetLastWriteTimeUtc(_index.Combine("p/ct2/1.dcm"), DateTime.UtcNow.AddMinutes(6));
        File.Delete(_index.Combine("p/rt/plan.dcm"));                                            // delete: its series empties
        _index.CopyPydicom("JPEG2000.dcm", "p/new/1.dcm");                                       // add

        var status = await _index.IndexAsync();

        Assert.Equal(IndexState.Completed, status.Phase);
        Assert.Equal(1, status.NewFiles);
        Assert.Equal(2, status.ModifiedFiles);
        Assert.Equal(2, status.UnchangedFiles);
        Assert.Equal(1, status.RemovedFiles);
        Assert.Equal(5, _index.Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM folders WHERE path = 'p/rt'"));
        Assert.Equal(_index.Scalar("SELECT COUNT(*) FROM files WHERE state = 0"), _index.Scalar("SELECT SUM(file_count) FROM series"));
        Assert.Equal(0, _index.Scalar("SELECT COUNT(*) FROM series WHERE file_count <= 0"));
        Assert.Equal(3, _index.Scalar("SELECT COUNT(*) FROM series"));
        var mrSeries = Python(PydicomSeriesUid, Path.Combine(IndexFixture.PydicomFiles, "MR_small.dcm"));
        Assert.Equal(3, _index.Scalar($"SELECT file_count FROM series WHERE series_key = '{mrSeries}'"));
    }

    [Fact]
    public async Task StartAsync_SecondRunWhileFirstRuns_IsRefusedAsBusy()
    {
        IndexFixture.Generate(_index.Root, patients: 1, studies: 1, series: 1, instances: 20);
        await using var services = _index.Services(o => o.MaxFilesPerSecond = 10);
        await using var source = services.GetRequiredService<ILocalFileSourceFactory>().Create(_index.Root);
        await using var run = await services.GetRequiredService<IIndexer>().StartAsync(source);

        var ex = await Assert.ThrowsAsync<IndexingException>(() => _index.IndexAsync());

        Assert.Equal("index.busy", ex.Code);
        run.Cancel();
        Assert.Equal(IndexState.Cancelled, (await run.Completion).Phase);
    }

    [Fact]
    public async Task StartAsync_LockFileCannotBeCreated_SaysSoInsteadOfBusy()
    {
        // /proc takes no new files (ENOENT, not EACCES): this used to be reported as "another run is using the index".
        _index.CopyPydicom("CT_small.dcm", "a.dcm");
        await using var services = _index.Services(o => o.DatabasePath = "/proc/naspacs-index.db");
        await using var source = services.GetRequiredService<ILocalFileSourceFactory>().Create(_index.Root);

        var ex = await Assert.ThrowsAsync<IndexingException>(() => services.GetRequiredService<IIndexer>().StartAsync(source));

        Assert.Equal(ErrorCodes.IoError, ex.Code);
        Assert.Contains("lock file could not be created", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists("/proc/naspacs-index.db"));
    }

    [Fact]
    public async Task StartAsync_OtherRoot_IsRefused()
    {
        _index.CopyPydicom("CT_small.dcm", "a.dcm");
        await _index.IndexAsync();
        await using var services = _index.Services();
        using var other = new Testing.TempFolder("naspacs-other");
        await using var source = services.GetRequiredService<ILocalFileSourceFactory>().Create(other.Path);

        var ex = await Assert.ThrowsAsync<IndexingException>(() => services.GetRequiredService<IIndexer>().StartAsync(source));

        Assert.Equal("index.other-root", ex.Code);
    }

    private static string Python(string script, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
