using NasPacs.Abstractions.Indexing;
using NasPacs.Cli.Commands;
using NasPacs.Indexing.Status;
using NasPacs.Testing;

namespace NasPacs.Cli.Tests;

/// <summary>Issue #3: the status file belongs to one index, not to the folder the index sits in.</summary>
public sealed class IndexStatusFileTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-cli-status");

    public void Dispose() => _folder.Dispose();

    private string Tree(string name, string sample)
    {
        var tree = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(tree);
        File.Copy($"/usr/lib/python3/dist-packages/pydicom/data/test_files/{sample}", Path.Combine(tree, "1.dcm"));
        return tree;
    }

    [Fact]
    public async Task Index_TwoIndexesInOneFolder_EachWritesItsOwnStatusFile()
    {
        var ctTree = Tree("ct", "CT_small.dcm");
        var mrTree = Tree("mr", "MR_small.dcm");
        var ctDb = Path.Combine(_folder.Path, "ct.db");
        var mrDb = Path.Combine(_folder.Path, "mr.db");

        var (console, output) = CapturedConsole.Create();
        Assert.Equal(ExitCodes.Ok, await IndexCommand.RunAsync(new IndexArguments(ctTree, ctDb), console, CancellationToken.None));
        Assert.Equal(ExitCodes.Ok, await IndexCommand.RunAsync(new IndexArguments(mrTree, mrDb), console, CancellationToken.None));

        var ct = StatusFile.Read(Path.Combine(_folder.Path, "ct.status.json"));
        var mr = StatusFile.Read(Path.Combine(_folder.Path, "mr.status.json"));
        Assert.True(ct is not null, output.ToString());
        Assert.NotNull(mr);
        Assert.Equal(ctTree, ct.Root);
        Assert.Equal(mrTree, mr.Root);
        Assert.Equal(IndexState.Completed, ct.Phase);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "index_status.json")));
    }

    [Fact]
    public async Task Index_StatusOptionGiven_WritesThereAndStatusReadsIt()
    {
        var tree = Tree("ct", "CT_small.dcm");
        var database = Path.Combine(_folder.Path, "index.db");
        var statusPath = Path.Combine(_folder.Path, "elsewhere", "progress.json");
        Directory.CreateDirectory(Path.GetDirectoryName(statusPath)!);
        var (console, output) = CapturedConsole.Create();

        Assert.Equal(ExitCodes.Ok, await IndexCommand.RunAsync(new IndexArguments(tree, database, StatusPath: statusPath), console, CancellationToken.None));
        var exitCode = await StatusCommand.RunAsync(database, console, CancellationToken.None, statusPath);

        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal(1, StatusFile.Read(statusPath)?.FilesProcessed);
        Assert.False(File.Exists(Path.ChangeExtension(database, ".status.json")));
        Assert.Contains(statusPath, output.ToString().Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
