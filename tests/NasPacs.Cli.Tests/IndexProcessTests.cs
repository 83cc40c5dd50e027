using System.Diagnostics;
using System.Runtime.Versioning;
using NasPacs.Indexing.Status;
using NasPacs.Testing;

namespace NasPacs.Cli.Tests;

/// <summary>
/// <c>naspacs index</c> as a real child process: killed with SIGKILL mid-run, stopped with Ctrl+C (SIGINT), and run as an
/// unprivileged user against a folder it may not read (the tests run as root, which ignores permissions).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class IndexProcessTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-cli-index");

    public IndexProcessTests()
    {
        Tree = Path.Combine(_folder.Path, "tree");
        Database = Path.Combine(_folder.Path, "db", "index.db");
        Directory.CreateDirectory(Path.GetDirectoryName(Database)!);
    }

    private string Tree { get; }

    private string Database { get; }

    private string StatusPath => Path.ChangeExtension(Database, ".status.json");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Index_KilledWithSigkillMidRun_ReRunIsConsistentAndDoesNotRedoCommittedWork()
    {
        Generate(Tree, series: 4, instances: 75);
        using (var child = Naspacs.Start(["index", Tree, "--db", Database, "--max-files-per-second", "150"]))
        {
            await WaitForProcessedAsync(child, atLeast: 60);
            child.Kill(); // SIGKILL: no clean-up code runs
            await child.WaitForExitAsync();
        }

        var committed = Scalar("SELECT COUNT(*) FROM files");
        Assert.InRange(committed, 1, 299);
        Assert.Equal(committed, Scalar("SELECT SUM(file_count) FROM series"));
        Assert.Equal(["running"], Strings("SELECT outcome FROM runs"));

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database]);

        Assert.True(exitCode == 0, output);
        Assert.Equal(300, Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(300, Scalar("SELECT COUNT(*) FROM (SELECT DISTINCT folder_id, name FROM files)"));
        Assert.Equal(300, Scalar("SELECT SUM(file_count) FROM series"));
        Assert.Equal(4, Scalar("SELECT COUNT(*) FROM series"));
        Assert.Equal(["interrupted", "completed"], Strings("SELECT outcome FROM runs ORDER BY id"));
        Assert.Equal(committed, Scalar("SELECT unchanged_files FROM runs ORDER BY id DESC LIMIT 1"));
        Assert.Equal(300 - committed, Scalar("SELECT new_files FROM runs ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Index_CtrlC_ExitsCancelledAndReRunResumes()
    {
        Generate(Tree, series: 2, instances: 100);
        using (var child = Naspacs.Start(["index", Tree, "--db", Database, "--max-files-per-second", "150"]))
        {
            await WaitForProcessedAsync(child, atLeast: 30);
            using (var kill = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(ExitCodes.Cancelled, child.ExitCode);
        }

        Assert.Equal(["cancelled"], Strings("SELECT outcome FROM runs"));
        var committed = Scalar("SELECT COUNT(*) FROM files");

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database, "--workers", "2"]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"unchanged {committed:N0}", output, StringComparison.Ordinal);
        Assert.Equal(200, Scalar("SELECT COUNT(*) FROM files"));
    }

    [Fact]
    public async Task Index_UnreadableFolderAsUnprivilegedUser_ReportsItAndIndexesTheRest()
    {
        Generate(Tree, series: 2, instances: 5);
        var locked = Path.Combine(Tree, "locked", "IM1.dcm");
        Directory.CreateDirectory(Path.GetDirectoryName(locked)!);
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", locked);

        // The unprivileged user must be able to reach the tree and write the index, but not list "locked".
        foreach (var dir in new[] { _folder.Path, Path.GetDirectoryName(Database)! })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }

        MakeReadable(Tree);
        File.SetUnixFileMode(Path.GetDirectoryName(locked)!, UnixFileMode.None);

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);

        Assert.True(exitCode == ExitCodes.CompletedWithErrors, output);
        Assert.Equal(10, Scalar("SELECT COUNT(*) FROM files"));
        Assert.Equal(["locked fs.access-denied"], Strings("SELECT path || ' ' || code FROM errors"));

        // The folder's files stay in the index while it cannot be listed: an unreadable folder is not a deleted one.
        File.SetUnixFileMode(Path.GetDirectoryName(locked)!, (UnixFileMode)0b111_101_101);
        (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);
        Assert.True(exitCode == 0, output);
        Assert.Equal(11, Scalar("SELECT COUNT(*) FROM files"));
        File.SetUnixFileMode(Path.GetDirectoryName(locked)!, UnixFileMode.None);
        (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);
        Assert.True(exitCode == ExitCodes.CompletedWithErrors, output);
        Assert.Equal(11, Scalar("SELECT COUNT(*) FROM files"));
        File.SetUnixFileMode(Path.GetDirectoryName(locked)!, (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public async Task Index_UnreadableFileInAFirstIndex_IsReportedAndReadOnceItCanBe()
    {
        Generate(Tree, series: 1, instances: 4);
        var locked = Path.Combine(Tree, "CT_small.dcm");
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", locked);
        foreach (var dir in new[] { _folder.Path, Path.GetDirectoryName(Database)! })
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        }

        MakeReadable(Tree);
        File.SetUnixFileMode(locked, UnixFileMode.None);

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);

        Assert.True(exitCode == ExitCodes.CompletedWithErrors, output);
        Assert.Equal(["CT_small.dcm fs.access-denied"], Strings("SELECT path || ' ' || code FROM errors"));
        Assert.Equal(["CT_small.dcm 4"], Strings("SELECT path || ' ' || state FROM file_paths WHERE state <> 0"));
        Assert.Equal(4, Scalar("SELECT SUM(file_count) FROM series"));

        File.SetUnixFileMode(locked, (UnixFileMode)0b110_100_100);
        (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);
        Assert.True(exitCode == 0, output);
        Assert.Contains("changed 1, unchanged 4", output, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(locked).Length, Scalar("SELECT size FROM file_paths WHERE path = 'CT_small.dcm'"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM errors"));

        (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database], asNobody: true);
        Assert.True(exitCode == 0, output);
        Assert.Contains("changed 0, unchanged 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_SecondProcessOnTheSameIndex_IsRefusedWhileTheFirstRuns()
    {
        // The CLI turns .NET's FileShare emulation off (System.IO.DisableFileLocking), so this proves the index's own flock.
        Generate(Tree, series: 2, instances: 50);
        using (var first = Naspacs.Start(["index", Tree, "--db", Database, "--max-files-per-second", "5"]))
        {
            await WaitForProcessedAsync(first, atLeast: 2);

            var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database]);

            Assert.True(exitCode == ExitCodes.Failed, output);
            Assert.Contains("Another run is using the index", output, StringComparison.Ordinal);
            first.Kill();
            await first.WaitForExitAsync();
        }

        // The lock went with the killed process: the next run is not refused.
        var (again, output2) = await Naspacs.RunAsync(["index", Tree, "--db", Database]);
        Assert.True(again == 0, output2);
        Assert.Equal(100, Scalar("SELECT COUNT(*) FROM files"));
    }

    [Fact]
    public async Task Index_MissingFolder_FailsWithExitCode3()
    {
        var (exitCode, output) = await Naspacs.RunAsync(["index", Path.Combine(_folder.Path, "nope"), "--db", Database]);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_Completed_LeavesTheIndexCheckpointedWithoutWriteAheadLog()
    {
        Generate(Tree, series: 2, instances: 4);

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database]);

        // The process ends right after the run: the run must have closed its connections by then, so that the last
        // close copied the WAL into the index file and removed it (durable, and the next run opens it without recovery).
        Assert.True(exitCode == 0, output);
        Assert.False(File.Exists(Database + "-wal"), "the WAL was left behind");
        Assert.Equal(8, Scalar("SELECT COUNT(*) FROM files"));
    }

    [Fact]
    public async Task Index_WithJson_WritesTheDesignExport()
    {
        Generate(Tree, series: 2, instances: 4);
        var json = Path.Combine(_folder.Path, "out.json");

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database, "--json", json]);

        Assert.True(exitCode == 0, output);
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json));
        Assert.Equal(2, document.RootElement.GetArrayLength());
        Assert.All(document.RootElement.EnumerateArray(), s => Assert.Equal(4, s.GetProperty("file_count").GetInt32()));
    }

    [Fact]
    public async Task Index_JsonPathIsAFolder_RefusedBeforeTheRun()
    {
        Generate(Tree, series: 1, instances: 2);

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database, "--json", _folder.Path]);

        Assert.Equal(2, exitCode);
        Assert.Contains("is a folder", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Database), "the run started anyway");
    }

    [Fact]
    public async Task Index_JsonCannotBeWrittenAtTheEnd_SaysTheIndexIsCompleteAndFails()
    {
        Generate(Tree, series: 1, instances: 2);
        var json = Path.Combine(_folder.Path, "out.json");
        Directory.CreateDirectory(json + ".tmp"); // where the export writes first: it cannot be opened as a file

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database, "--json", json]);

        // Before: an unhandled IOException with its stack trace, after a completed run.
        Assert.Equal(3, exitCode);
        Assert.Contains("The index is complete, but its JSON could not be written", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM files"));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public async Task Index_RootLeftEmpty_FailsKeepingTheIndexUntilAllowed()
    {
        Generate(Tree, series: 1, instances: 3);
        Assert.Equal(0, (await Naspacs.RunAsync(["index", Tree, "--db", Database])).ExitCode);
        Directory.Move(Tree, Tree + ".away");
        Directory.CreateDirectory(Tree);

        var (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database]);

        Assert.Equal(3, exitCode);
        Assert.Contains("the share may not be mounted", output, StringComparison.Ordinal);
        Assert.Equal(3, Scalar("SELECT COUNT(*) FROM files"));

        (exitCode, output) = await Naspacs.RunAsync(["index", Tree, "--db", Database, "--allow-empty-root"]);

        Assert.True(exitCode == 0, output);
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM files"));
    }

    [Theory]
    [InlineData("search", "not a database")]
    [InlineData("status", "not a database")]
    [InlineData("errors", "not a database")]
    [InlineData("index", "not a database")]
    [InlineData("search", "newer schema")]
    [InlineData("status", "newer schema")]
    [InlineData("index", "newer schema")]
    public async Task AnyCommand_IndexThatCannotBeOpened_SaysWhyWithoutAStackTrace(string command, string kind)
    {
        Generate(Tree, series: 1, instances: 1);
        if (kind == "not a database")
        {
            File.WriteAllText(Database, "this is not an index");
        }
        else
        {
            Assert.Equal(0, (await Naspacs.RunAsync(["index", Tree, "--db", Database])).ExitCode);
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Database};Pooling=False");
            connection.Open();
            using var newer = connection.CreateCommand();
            newer.CommandText = "PRAGMA user_version = 99"; // as a newer NasPacs leaves it
            newer.ExecuteNonQuery();
        }

        string[] args = command switch
        {
            "search" => ["search", "x", "--db", Database],
            "index" => ["index", Tree, "--db", Database],
            _ => [command, "--db", Database],
        };
        var (exitCode, output) = await Naspacs.RunAsync(args);

        // Before: "Unhandled exception" and a stack trace (exit 1) from every command but index, and for a newer schema
        // from index too.
        Assert.Equal(3, exitCode);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains(kind == "newer schema" ? "newer than this NasPacs knows" : "cannot be opened", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_RootIsAFile_SaysItIsAFile()
    {
        Generate(Tree, series: 1, instances: 1);
        var file = Directory.EnumerateFiles(Tree, "*", SearchOption.AllDirectories).First();

        var (exitCode, output) = await Naspacs.RunAsync(["index", file, "--db", Database]);

        Assert.Equal(3, exitCode);
        Assert.Contains("is a file, not a folder", output, StringComparison.Ordinal);
    }

    private async Task WaitForProcessedAsync(Process child, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(child.HasExited, $"naspacs ended early with {(child.HasExited ? child.ExitCode : 0)}.");
            Assert.True(DateTime.UtcNow < deadline, "naspacs did not get far enough within 60 s.");
            if (File.Exists(StatusPath) && StatusFile.Read(StatusPath) is { FilesProcessed: var processed } && processed >= atLeast)
            {
                return;
            }

            await Task.Delay(25);
        }
    }

    private static void MakeReadable(string directory)
    {
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        foreach (var sub in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(sub, (UnixFileMode)0b111_101_101);
        }
    }

    private long Scalar(string sql) => SqliteProbe.Scalar(Database, sql);

    private List<string> Strings(string sql) => SqliteProbe.Strings(Database, sql);

    /// <summary>A generated tree from the benchmark's corpus generator (pydicom, real headers).</summary>
    private static void Generate(string output, int series, int instances)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { Path.Combine(Repository.Root, "benchmarks", "corpus", "make_corpus.py"), "--out", output, "--patients", "1", "--studies-per-patient", "1", "--series-per-study", $"{series}", "--instances-per-series", $"{instances}", "--seed", "3" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error.Result);
        File.Delete(Path.Combine(output, "manifest.json"));
    }
}
