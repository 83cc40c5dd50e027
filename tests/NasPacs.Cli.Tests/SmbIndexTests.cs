using NasPacs.Cli.Commands;
using NasPacs.Smb;
using NasPacs.Testing;
using NasPacs.Testing.Samba;

namespace NasPacs.Cli.Tests;

/// <summary>
/// <c>naspacs index smb://…</c> against a real <c>smbd</c>: the same tree indexed over SMB and from the folder must give
/// the same index, a re-run reads nothing, and a bad login or URI fails with what to fix and never shows the password.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SmbIndexTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-cli-smb");
    private readonly SambaServer _samba = SambaServer.Start();

    public void Dispose()
    {
        _samba.Dispose();
        _folder.Dispose();
    }

    private string Database(string name) => Path.Combine(_folder.Path, name + ".db");

    private static SmbOptions Login(string password = SambaServer.Password) => new() { User = SambaServer.UserName, Password = password };

    [Fact]
    public async Task Index_SmbRoot_GivesTheIndexOfTheSameFolderAndAReRunReadsNothing()
    {
        var tree = Path.Combine(_samba.ShareFolder, "studies");
        Directory.CreateDirectory(Path.Combine(tree, "ct b"));
        Directory.CreateDirectory(Path.Combine(tree, "mr #1"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", Path.Combine(tree, "ct b", "1.dcm"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm", Path.Combine(tree, "mr #1", "Bild 1"));
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small.dcm", Path.Combine(tree, "mr #1", "Bild 2.dcm"));
        File.WriteAllText(Path.Combine(tree, "notes.dcm"), "not DICOM");
        var (console, output) = CapturedConsole.Create();

        var overSmb = await IndexCommand.RunAsync(new IndexArguments(_samba.Url + "/studies", Database("smb"), Smb: Login()), console, CancellationToken.None);
        var local = await IndexCommand.RunAsync(new IndexArguments(tree, Database("local")), console, CancellationToken.None);

        Assert.True((overSmb, local) == (ExitCodes.CompletedWithErrors, ExitCodes.CompletedWithErrors), output.ToString());
        const string Rows = "SELECT path || ' ' || size || ' ' || state || ' ' || COALESCE(sop_instance_uid, '-') FROM file_paths ORDER BY path";
        Assert.Equal(4, SqliteProbe.Strings(Database("local"), Rows).Count);
        Assert.Equal(SqliteProbe.Strings(Database("local"), Rows), SqliteProbe.Strings(Database("smb"), Rows));
        const string Series = "SELECT series_key || ' ' || file_count || ' ' || total_bytes FROM series ORDER BY series_key";
        Assert.Equal(SqliteProbe.Strings(Database("local"), Series), SqliteProbe.Strings(Database("smb"), Series));
        Assert.Equal(["notes.dcm dicom.not-dicom"], SqliteProbe.Strings(Database("smb"), "SELECT path || ' ' || code FROM errors"));

        (console, output) = CapturedConsole.Create();
        // The file that is not DICOM is not read again while unchanged: this run finds no new error.
        Assert.Equal(ExitCodes.Ok, await IndexCommand.RunAsync(new IndexArguments(_samba.Url + "/studies", Database("smb"), Smb: Login()), console, CancellationToken.None));
        Assert.Contains("new 0, changed 0, unchanged 4", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, SqliteProbe.Scalar(Database("smb"), "SELECT processed - unchanged_files FROM runs ORDER BY id DESC LIMIT 1"));
    }

    [Fact]
    public async Task Index_SmbRootAsACommand_TakesTheLoginFromTheEnvironmentOnly()
    {
        File.Copy("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm", Path.Combine(_samba.ShareFolder, "1.dcm"));
        var login = new Dictionary<string, string?> { [SmbLogin.UserVariable] = SambaServer.UserName, [SmbLogin.PasswordVariable] = SambaServer.Password };

        var (missing, missingOutput) = await RunAsync(["index", _samba.Url, "--db", Database("a")], new() { [SmbLogin.UserVariable] = null, [SmbLogin.PasswordVariable] = null });
        var (inUri, inUriOutput) = await RunAsync(["index", $"smb://{SambaServer.UserName}@{SambaServer.Host}:{_samba.Port}/{SambaServer.ShareName}", "--db", Database("b")], login);
        var (wrong, wrongOutput) = await RunAsync(["index", _samba.Url, "--db", Database("c")], new(login) { [SmbLogin.PasswordVariable] = "Wrong-password-42" });
        var (ok, okOutput) = await RunAsync(["index", _samba.Url, "--db", Database("d")], login);

        Assert.True(missing == ExitCodes.Failed, missingOutput);
        Assert.Contains($"No SMB login: set {SmbLogin.UserVariable} and {SmbLogin.PasswordVariable}", missingOutput, StringComparison.Ordinal);
        Assert.True(inUri == ExitCodes.Usage, inUriOutput);
        Assert.Contains("Credentials do not belong in the SMB URI", inUriOutput, StringComparison.Ordinal);
        Assert.True(wrong == ExitCodes.Failed, wrongOutput);
        Assert.Contains("STATUS_LOGON_FAILURE", wrongOutput, StringComparison.Ordinal);
        Assert.Contains($"the login in {SmbLogin.UserVariable}", wrongOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-password-42", wrongOutput, StringComparison.Ordinal);
        Assert.True(ok == ExitCodes.Ok, okOutput);
        Assert.Contains("new 1,", okOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(SambaServer.Password, okOutput + File.ReadAllText(Path.ChangeExtension(Database("d"), ".status.json")), StringComparison.Ordinal);
        Assert.Equal([_samba.Url], SqliteProbe.Strings(Database("d"), "SELECT root FROM runs"));
    }

    private static Task<(int ExitCode, string Output)> RunAsync(string[] arguments, Dictionary<string, string?> environment)
        => Naspacs.RunAsync(arguments, environment: environment);
}
