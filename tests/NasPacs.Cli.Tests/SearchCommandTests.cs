using NasPacs.Abstractions.Indexing;
using NasPacs.Cli.Commands;
using NasPacs.Testing;
using Spectre.Console;

namespace NasPacs.Cli.Tests;

public sealed class SearchCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-cli-search");

    public void Dispose() => _folder.Dispose();


    private async Task<string> IndexAsync()
    {
        var tree = Path.Combine(_folder.Path, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "ct"));
        Directory.CreateDirectory(Path.Combine(tree, "mr"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", Path.Combine(tree, "ct", "1.dcm"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm", Path.Combine(tree, "mr", "1.dcm"));
        var database = Path.Combine(_folder.Path, "index.db");
        var (console, output) = CapturedConsole.Create();
        var exitCode = await IndexCommand.RunAsync(new IndexArguments(tree, database), console, CancellationToken.None);
        Assert.True(exitCode == ExitCodes.Ok, output.ToString());
        Assert.Contains("Completed", output.ToString(), StringComparison.Ordinal);
        return database;
    }

    [Fact]
    public async Task Search_ModalityFilter_PrintsOnlyThatModality()
    {
        var database = await IndexAsync();
        var (console, output) = CapturedConsole.Create();

        var exitCode = await SearchCommand.RunAsync(database, new SeriesSearch { Modality = "MR" }, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var text = output.ToString();
        Assert.Contains("1 of 1 series.", text, StringComparison.Ordinal);
        Assert.Contains(" MR ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" CT ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_NoIndex_FailsWithAHint()
    {
        var (console, output) = CapturedConsole.Create();

        var exitCode = await SearchCommand.RunAsync(Path.Combine(_folder.Path, "none.db"), new SeriesSearch(), console, CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("naspacs index", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AfterARun_ShowsTotalsAndTheRun()
    {
        var database = await IndexAsync();
        var (console, output) = CapturedConsole.Create();

        var exitCode = await StatusCommand.RunAsync(database, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var text = output.ToString();
        Assert.Contains("Completed: 2/2 files", text, StringComparison.Ordinal);
        Assert.Contains("2 series, 2 files", text, StringComparison.Ordinal);
    }
}
