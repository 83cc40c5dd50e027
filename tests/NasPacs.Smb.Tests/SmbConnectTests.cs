using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;

namespace NasPacs.Smb.Tests;

public sealed class SmbConnectTests : IDisposable
{
    private readonly SambaServer _samba = SambaServer.Start();

    public SmbConnectTests()
    {
        File.WriteAllText(Path.Combine(_samba.ShareFolder, "hello.txt"), "hello over smb");
    }

    [Theory]
    [InlineData(SmbProtocolVersion.Smb202)]
    [InlineData(SmbProtocolVersion.Smb210)]
    [InlineData(SmbProtocolVersion.Smb300)]
    [InlineData(SmbProtocolVersion.Smb302)]
    [InlineData(SmbProtocolVersion.Smb311)]
    public async Task ReadPrefixAsync_EachDialect_ReturnsFileBytes(SmbProtocolVersion dialect)
    {
        await using var source = new SmbFileSourceFactory().Create(_samba.Options(o => { o.MinDialect = dialect; o.MaxDialect = dialect; }));
        var buffer = new byte[100];

        var read = await source.ReadPrefixAsync("hello.txt", buffer);

        Assert.Equal("hello over smb", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task ReadPrefixAsync_WrongPassword_ThrowsAuthenticationFailed()
    {
        await using var source = new SmbFileSourceFactory().Create(_samba.Options(o => o.Password = "wrong"));

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("hello.txt", new byte[10]));

        Assert.Equal(ErrorCategory.Authentication, error.Category);
        Assert.Equal(ErrorCodes.AuthenticationFailed, error.Code);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrefixAsync_UnknownShare_ThrowsRootUnreachable()
    {
        await using var source = new SmbFileSourceFactory().Create(_samba.Options(o => o.Share = "nosuchshare"));

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("hello.txt", new byte[10]));

        Assert.Equal(ErrorCodes.RootUnreachable, error.Code);
    }

    public void Dispose() => _samba.Dispose();
}
