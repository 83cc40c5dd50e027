using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Cli.Commands;
using NasPacs.Testing;
using Spectre.Console;

namespace NasPacs.Cli.Tests;

public sealed class ErrorsCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-cli-errors");

    public void Dispose() => _folder.Dispose();


    private async Task<string> IndexAsync(bool withBrokenFile)
    {
        var tree = Path.Combine(_folder.Path, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "ct"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", Path.Combine(tree, "ct", "1.dcm"));
        if (withBrokenFile)
        {
            File.WriteAllText(Path.Combine(tree, "ct", "export log.dcm"), "not a DICOM file");
        }

        var database = Path.Combine(_folder.Path, "index.db");
        var (console, output) = CapturedConsole.Create();
        var exitCode = await IndexCommand.RunAsync(new IndexArguments(tree, database), console, CancellationToken.None);
        Assert.True(exitCode == (withBrokenFile ? ExitCodes.CompletedWithErrors : ExitCodes.Ok), output.ToString());
        if (withBrokenFile)
        {
            // The summary points at the command that lists the errors.
            Assert.Contains($"naspacs errors --db {database} --run 1", output.ToString(), StringComparison.Ordinal);
        }

        return database;
    }

    [Fact]
    public async Task Errors_BrokenDcmFile_ListsCodePathAndSuggestion()
    {
        var database = await IndexAsync(withBrokenFile: true);
        var (console, output) = CapturedConsole.Create();

        var exitCode = await ErrorsCommand.RunAsync(database, new ErrorSearch { RunId = 1 }, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var text = output.ToString();
        Assert.Contains(ErrorCodes.NotDicom, text, StringComparison.Ordinal);
        Assert.Contains("ct/export log.dcm", text, StringComparison.Ordinal);
        Assert.Contains("Remove or rename it", text, StringComparison.Ordinal);
        Assert.Contains("1 of 1 errors.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_OtherCategory_PrintsNoErrors()
    {
        var database = await IndexAsync(withBrokenFile: true);
        var (console, output) = CapturedConsole.Create();

        var exitCode = await ErrorsCommand.RunAsync(database, new ErrorSearch { Category = ErrorCategory.Network }, console, CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("No errors.", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_NoIndex_FailsWithAHint()
    {
        var (console, output) = CapturedConsole.Create();

        var exitCode = await ErrorsCommand.RunAsync(Path.Combine(_folder.Path, "missing.db"), new ErrorSearch(), console, CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("naspacs index", output.ToString(), StringComparison.Ordinal);
    }
}
