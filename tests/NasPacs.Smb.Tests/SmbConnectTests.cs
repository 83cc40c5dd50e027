using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Protocol;
using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

public sealed class SmbConnectTests : IDisposable
{
    private readonly SambaServer _samba = SambaServer.Start();

    public SmbConnectTests()
    {
        File.WriteAllText(Path.Combine(_samba.ShareFolder, "hello.txt"), "hello over smb");
    }

    [Theory]
    [InlineData(SmbProtocolVersion.Smb202, false, (int)SmbCipher.None)]
    [InlineData(SmbProtocolVersion.Smb210, false, (int)SmbCipher.None)]
    [InlineData(SmbProtocolVersion.Smb300, true, (int)SmbCipher.Aes128Ccm)]
    [InlineData(SmbProtocolVersion.Smb302, true, (int)SmbCipher.Aes128Ccm)]
    [InlineData(SmbProtocolVersion.Smb311, true, (int)SmbCipher.Aes128Gcm)]
    public async Task ReadPrefixAsync_EachDialect_ReturnsFileBytesAndEncryptsWhenOffered(SmbProtocolVersion dialect, bool encrypted, int cipher)
    {
        await using var source = Create(o => { o.MinDialect = dialect; o.MaxDialect = dialect; });
        var buffer = new byte[100];

        var read = await source.ReadPrefixAsync("hello.txt", buffer);

        Assert.Equal("hello over smb", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        var info = source.SessionInfo!;
        Assert.Equal((SmbDialect)dialect, info.Dialect);
        Assert.Equal(encrypted, info.Encryption);
        Assert.Equal(!encrypted, info.Signing);
        Assert.Equal((SmbCipher)cipher, info.Cipher);
    }

    [Fact]
    public async Task ReadPrefixAsync_Samba_VerifiesServersMechListMic()
    {
        // Samba answers the client's mechListMIC with its own; a wrong one would have refused the session.
        await using var source = Create(_ => { });

        await source.ReadPrefixAsync("hello.txt", new byte[10]);

        Assert.True(source.Pool.Current!.MechListMicVerified);
    }

    [Theory]
    [InlineData(SmbProtocolVersion.Smb210, (int)SmbSigningAlgorithm.HmacSha256)]
    [InlineData(SmbProtocolVersion.Smb302, (int)SmbSigningAlgorithm.AesCmac)]
    [InlineData(SmbProtocolVersion.Smb311, (int)SmbSigningAlgorithm.AesGmac)]
    public async Task ReadPrefixAsync_EncryptionOff_SignsWithTheDialectsAlgorithm(SmbProtocolVersion dialect, int algorithm)
    {
        await using var source = Create(o => { o.MaxDialect = dialect; o.EncryptWhenOffered = false; });

        Assert.Equal(14, await source.ReadPrefixAsync("hello.txt", new byte[100]));

        var info = source.SessionInfo!;
        Assert.True(info.Signing);
        Assert.False(info.Encryption);
        Assert.Equal((SmbSigningAlgorithm)algorithm, info.SigningAlgorithm);
    }

    [Fact]
    public async Task ReadPrefixAsync_WrongPassword_ThrowsAuthenticationFailed()
    {
        await using var source = Create(o => o.Password = "wrong");

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("hello.txt", new byte[10]));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(ErrorCodes.AuthenticationFailed, error.Code);
        Assert.DoesNotContain("wrong", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrefixAsync_UnknownShare_ThrowsRootUnreachable()
    {
        await using var source = Create(o => o.Share = "nosuchshare");

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("hello.txt", new byte[10]));

        Assert.Equal(ErrorCodes.RootUnreachable, error.Code);
    }

    [Fact]
    public async Task EnumerateAsync_UnknownShare_ThrowsRootUnreachable()
    {
        await using var source = Create(o => o.Share = "nosuchshare");

        var error = await Assert.ThrowsAsync<FileSourceException>(async () =>
        {
            await foreach (var _ in source.EnumerateAsync(new FileEnumerationOptions()))
            {
            }
        });

        Assert.Equal(ErrorCodes.RootUnreachable, error.Code);
    }

    [Fact]
    public async Task ReadPrefixAsync_NothingListening_ThrowsTransientNetworkFailure()
    {
        await using var source = Create(o => { o.Port = 1; o.RetryCount = 0; });

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("hello.txt", new byte[10]));

        Assert.Equal(ErrorCategory.Network, error.Category);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public void Options_ToString_NeverShowsPassword()
    {
        var options = _samba.Options();

        Assert.DoesNotContain(SambaServer.Password, options.ToString(), StringComparison.Ordinal);
    }

    private SmbFileSource Create(Action<SmbOptions> configure) => (SmbFileSource)new SmbFileSourceFactory().Create(_samba.Options(configure));

    public void Dispose() => _samba.Dispose();
}
