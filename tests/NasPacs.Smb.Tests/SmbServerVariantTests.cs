using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Protocol;
using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

/// <summary>Servers configured the ways sites configure them: signing mandatory, encryption required, old or only-new dialects.</summary>
public sealed class SmbServerVariantTests
{
    [Theory]
    [InlineData(SmbProtocolVersion.Smb202)]
    [InlineData(SmbProtocolVersion.Smb210)]
    [InlineData(SmbProtocolVersion.Smb300)]
    [InlineData(SmbProtocolVersion.Smb311)]
    public async Task ReadPrefixAsync_SigningMandatory_SignsAndReads(SmbProtocolVersion dialect)
    {
        using var samba = Start("server signing = mandatory");
        await using var source = Create(samba, o => { o.MaxDialect = dialect; o.EncryptWhenOffered = false; });

        Assert.Equal(5, await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.True(source.SessionInfo!.Signing);
    }

    [Theory]
    [InlineData(SmbProtocolVersion.Smb300)]
    [InlineData(SmbProtocolVersion.Smb311)]
    public async Task ReadPrefixAsync_EncryptionRequired_EncryptsEvenWhenNotAsked(SmbProtocolVersion dialect)
    {
        using var samba = Start("server smb encrypt = required");
        await using var source = Create(samba, o => { o.MaxDialect = dialect; o.EncryptWhenOffered = false; });

        Assert.Equal(5, await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.True(source.SessionInfo!.Encryption);
    }

    [Fact]
    public async Task ReadPrefixAsync_EncryptionRequiredAndClientLimitedTo21_ThrowsAuthenticationFailed()
    {
        using var samba = Start("server smb encrypt = required");
        await using var source = Create(samba, o => o.MaxDialect = SmbProtocolVersion.Smb210);

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(ErrorCodes.AuthenticationFailed, error.Code);
        Assert.Contains("encryption", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerLimitedTo21_ReadsWithSmb21()
    {
        using var samba = Start("server max protocol = SMB2_10");
        await using var source = Create(samba, _ => { });

        Assert.Equal(5, await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.Equal(SmbDialect.Smb210, source.SessionInfo!.Dialect);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerLimitedTo21AndEncryptionRequired_ThrowsSecurityMismatch()
    {
        using var samba = Start("server max protocol = SMB2_10");
        await using var source = Create(samba, o => o.RequireEncryption = true);

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(SmbErrorCodes.SecurityMismatch, error.Code);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerOnly311_Reads()
    {
        using var samba = Start("server min protocol = SMB3_11");
        await using var source = Create(samba, _ => { });

        Assert.Equal(5, await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.Equal(SmbDialect.Smb311, source.SessionInfo!.Dialect);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerOnly311AndClientAt302_ThrowsDialectMismatch()
    {
        using var samba = Start("server min protocol = SMB3_11");
        await using var source = Create(samba, o => { o.MaxDialect = SmbProtocolVersion.Smb302; o.RetryCount = 0; });

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("a.dcm", new byte[100]));

        Assert.Equal(ErrorCategory.Configuration, error.Category);
        Assert.Equal(SmbErrorCodes.DialectMismatch, error.Code);
    }

    [Fact]
    public async Task EnumerateAsync_LinksToAncestorsTheServerFollows_AreNotEntered()
    {
        // Samba follows links inside the share and shows them as plain folders: before the walk compared file IDs it went
        // down top/p/loop/up/loop/up/… until the paths were too long, listing a.dcm again at every level.
        using var samba = Start("");
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(samba.ShareFolder, "p/loop")).FullName, "b.dcm"), "b");
        File.CreateSymbolicLink(Path.Combine(samba.ShareFolder, "p/loop/up"), "..");
        File.CreateSymbolicLink(Path.Combine(samba.ShareFolder, "top"), ".");
        await using var source = Create(samba, _ => { });
        var errors = new List<ErrorReport>();

        var listed = new List<string>();
        await foreach (var entry in source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 4, OnError = errors.Add }))
        {
            listed.Add(entry.RelativePath);
        }

        Assert.Equal(["a.dcm", "p/loop/b.dcm"], listed.Order(StringComparer.Ordinal));
        Assert.Empty(errors);
    }

    private static SambaServer Start(string global)
    {
        var samba = SambaServer.Start(global);
        File.WriteAllText(Path.Combine(samba.ShareFolder, "a.dcm"), "abcde");
        return samba;
    }

    private static SmbFileSource Create(SambaServer samba, Action<SmbOptions> configure) =>
        (SmbFileSource)new SmbFileSourceFactory().Create(samba.Options(configure));
}
