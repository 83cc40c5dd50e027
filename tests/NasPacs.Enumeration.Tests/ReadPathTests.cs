using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Testing;

namespace NasPacs.Enumeration.Tests;

/// <summary>
/// Header reads (issue #3): on Linux through open and pread with no managed handle; every outcome must be what the managed
/// path gives (the data, and the same classified errors).
/// </summary>
public sealed class ReadPathTests : IDisposable
{
    private readonly TempFolder _root = new("naspacs-read");

    public void Dispose() => _root.Dispose();

    private LocalFileSource Source() => new(_root.Path, new LocalFileSourceOptions(), TimeProvider.System);

    [Fact]
    public async Task ReadPrefixAsync_FileLargerThanBuffer_FillsTheBufferFromOffsetZero()
    {
        var bytes = Enumerable.Range(0, 20_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(_root.Combine("big.dcm"), bytes);
        var buffer = new byte[8192];

        var read = await Source().ReadPrefixAsync("big.dcm", buffer);

        Assert.Equal(8192, read);
        Assert.Equal(bytes[..8192], buffer);
    }

    [Theory]
    [InlineData("Müller Jörg/CT Thorax 1/Bild 1.dcm")]
    [InlineData("山田 太郎/IM 0001")]
    public async Task ReadPrefixAsync_NonAsciiAndSpacesInPath_ReadsTheFile(string relativePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_root.Combine(relativePath))!);
        File.WriteAllBytes(_root.Combine(relativePath), [9, 8, 7]);
        var buffer = new byte[16];

        var read = await Source().ReadPrefixAsync(relativePath, buffer);

        Assert.Equal(3, read);
        Assert.Equal(new byte[] { 9, 8, 7 }, buffer[..3]);
    }

    [Fact]
    public async Task ReadPrefixAsync_EmptyFile_ReturnsZero()
    {
        File.WriteAllBytes(_root.Combine("empty.dcm"), []);

        Assert.Equal(0, await Source().ReadPrefixAsync("empty.dcm", new byte[64]));
    }

    [Fact]
    public async Task ReadPrefixAsync_Folder_ThrowsAccessDeniedAsTheManagedOpenDoes()
    {
        Directory.CreateDirectory(_root.Combine("folder.dcm"));
        var managed = Assert.Throws<UnauthorizedAccessException>(() => File.OpenHandle(_root.Combine("folder.dcm")));

        var ex = await Assert.ThrowsAsync<FileSourceException>(async () => await Source().ReadPrefixAsync("folder.dcm", new byte[8]));

        Assert.Equal(ErrorCodes.AccessDenied, ex.Code);
        Assert.False(ex.IsTransient);
        Assert.IsType(managed.GetType(), ex.InnerException);
    }

    [Fact]
    public async Task ReadPrefixAsync_FifoWhereTheWalkSawAFile_ThrowsUnreadableWithoutWaitingForAWriter()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The walk leaves FIFOs out; this one stands where a file was listed. A blocking open would wait for ever.
        SpecialFiles.MakeFifo(_root.Combine("swapped.dcm"));
        var read = Task.Run(async () => await Source().ReadPrefixAsync("swapped.dcm", new byte[8]));

        var ex = await Assert.ThrowsAsync<FileSourceException>(() => read.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(ErrorCodes.FileUnreadable, ex.Code);
        Assert.Contains("FIFO", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadPrefixAsync_FileInAMissingFolder_ThrowsVanished()
    {
        var ex = await Assert.ThrowsAsync<FileSourceException>(async () => await Source().ReadPrefixAsync("gone/a.dcm", new byte[8]));

        Assert.Equal(ErrorCodes.FileVanished, ex.Code);
    }

    [Fact]
    public async Task ReadPrefixAsync_ThousandsOfReads_LeaveNoFileOpen()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /proc/self/fd is Linux's
        }

        File.WriteAllBytes(_root.Combine("a.dcm"), new byte[300]);
        var source = Source();
        var buffer = new byte[256];
        var before = Directory.GetFiles("/proc/self/fd").Length;

        for (var i = 0; i < 5_000; i++)
        {
            await source.ReadPrefixAsync("a.dcm", buffer);
            await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("missing.dcm", buffer));
        }

        // Other tests run in parallel and open files too: a leak here would be thousands, not a few.
        Assert.True(Directory.GetFiles("/proc/self/fd").Length - before < 100);
    }
}
