using System.Collections.Concurrent;
using NasPacs.Abstractions.Errors;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Files;
using NasPacs.Enumeration;

namespace NasPacs.Smb.Tests;

public sealed class SmbFileSourceTests : IClassFixture<SambaTreeFixture>, IAsyncLifetime
{
    private readonly SambaTreeFixture _tree;
    private IFileSource _source = null!;

    public SmbFileSourceTests(SambaTreeFixture tree) => _tree = tree;

    public Task InitializeAsync()
    {
        _source = new SmbFileSourceFactory().Create(_tree.Server.Options());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _source.DisposeAsync();

    [Fact]
    public async Task EnumerateAsync_Tree_EqualsLocalListing()
    {
        var errors = new ConcurrentBag<ErrorReport>();

        var listed = new List<FileEntry>();
        await foreach (var entry in _source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 8, OnError = errors.Add }))
        {
            listed.Add(entry);
        }

        var expected = _tree.LocalFiles();
        Assert.True(expected.Count > 10_000);
        Assert.Equal(expected, listed.Select(e => (e.RelativePath, e.Size, e.LastWriteTimeUtc)).OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList());
        var error = Assert.Single(errors);
        Assert.Equal("locked", error.Path);
        Assert.Equal(ErrorCodes.AccessDenied, error.Code);
    }

    [Fact]
    public async Task EnumerateAsync_DirectoryBufferOfFourKilobytes_PagesThroughEveryFolderAndEqualsLocalListing()
    {
        // About 20 entries a page: each 100-file folder needs the compound's two pages and then more, one at a time.
        await using var source = new SmbFileSourceFactory().Create(_tree.Server.Options(o => o.DirectoryBufferSize = 4 << 10));

        var listed = new List<FileEntry>();
        await foreach (var entry in source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 8 }))
        {
            listed.Add(entry);
        }

        Assert.Equal(_tree.LocalFiles(), listed.Select(e => (e.RelativePath, e.Size, e.LastWriteTimeUtc)).OrderBy(e => e.RelativePath, StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task EnumerateAsyncAndReadPrefixAsync_SameFolder_EqualLocalBackend()
    {
        using var services = new ServiceCollection().AddNasEnumeration().BuildServiceProvider();
        await using var local = services.GetRequiredService<ILocalFileSourceFactory>().Create(_tree.Root);
        var options = new FileEnumerationOptions { MaxParallelism = 8 };

        // The local backend runs as root and may read the folder the share user may not; leave that folder out.
        var expected = (await ListAsync(local, options)).Where(e => !e.RelativePath.StartsWith("locked/", StringComparison.Ordinal)).ToList();
        var actual = await ListAsync(_source, options);

        Assert.True(expected.Count > 10_000);
        Assert.Equal(expected, actual);
        var mismatches = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(actual.Where(e => e.RelativePath != "noread.bin"), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (entry, ct) =>
        {
            var overSmb = new byte[8192];
            var onDisk = new byte[8192];
            var smbRead = await _source.ReadPrefixAsync(entry.RelativePath, overSmb, ct);
            var localRead = await local.ReadPrefixAsync(entry.RelativePath, onDisk, ct);
            if (!overSmb.AsSpan(0, smbRead).SequenceEqual(onDisk.AsSpan(0, localRead)))
            {
                mismatches.Add(entry.RelativePath);
            }
        });
        Assert.Empty(mismatches);
    }

    private static async Task<List<FileEntry>> ListAsync(IFileSource source, FileEnumerationOptions options)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in source.EnumerateAsync(options))
        {
            entries.Add(entry);
        }

        return [.. entries.OrderBy(e => e.RelativePath, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task EnumerateAsync_ShouldEnterDirectoryFalse_SkipsFolder()
    {
        var listed = new List<string>();
        await foreach (var entry in _source.EnumerateAsync(new FileEnumerationOptions { ShouldEnterDirectory = d => d != "many" }))
        {
            listed.Add(entry.RelativePath);
        }

        Assert.Contains("plain.dcm", listed);
        Assert.DoesNotContain(listed, p => p.StartsWith("many/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadPrefixAsync_EveryListedFile_EqualsLocalBytes()
    {
        var files = _tree.LocalFiles().Where(f => f.Path != "noread.bin").ToList();
        var mismatches = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (file, ct) =>
        {
            var buffer = new byte[8192];
            var read = await _source.ReadPrefixAsync(file.Path, buffer, ct);
            var local = File.ReadAllBytes(Path.Combine(_tree.Root, file.Path)).AsSpan(0, (int)Math.Min(8192, file.Size));
            if (!buffer.AsSpan(0, read).SequenceEqual(local))
            {
                mismatches.Add(file.Path);
            }
        });

        Assert.Empty(mismatches);
    }

    [Fact]
    public async Task ReadPrefixAsync_DestinationLargerThanOneRead_FillsDestination()
    {
        var buffer = new byte[3 * 1024 * 1024];

        var read = await _source.ReadPrefixAsync("big.bin", buffer);

        Assert.Equal(buffer.Length, read);
        Assert.True(buffer.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_tree.Root, "big.bin")).AsSpan(0, buffer.Length)));
    }

    [Fact]
    public async Task ReadPrefixAsync_EmptyFile_ReturnsZero()
    {
        Assert.Equal(0, await _source.ReadPrefixAsync("empty.bin", new byte[100]));
    }

    [Fact]
    public async Task ReadPrefixAsync_MissingFile_ThrowsFileVanished()
    {
        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await _source.ReadPrefixAsync("many/f000/nope.dcm", new byte[10]));

        Assert.Equal(ErrorCodes.FileVanished, error.Code);
        Assert.Equal("many/f000/nope.dcm", error.RelativePath);
    }

    [Fact]
    public async Task ReadPrefixAsync_FileRemovedAfterListing_ThrowsFileVanished()
    {
        var full = Path.Combine(_tree.Root, "vanishing.dcm");
        File.WriteAllBytes(full, [1, 2, 3]);
        Assert.NotNull(await _source.GetEntryAsync("vanishing.dcm"));
        File.Delete(full);

        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await _source.ReadPrefixAsync("vanishing.dcm", new byte[10]));

        Assert.Equal(ErrorCodes.FileVanished, error.Code);
        Assert.Null(await _source.GetEntryAsync("vanishing.dcm"));
    }

    [Fact]
    public async Task ReadPrefixAsync_UnreadableFile_ThrowsAccessDenied()
    {
        var error = await Assert.ThrowsAsync<FileSourceException>(async () => await _source.ReadPrefixAsync("noread.bin", new byte[10]));

        Assert.Equal(ErrorCodes.AccessDenied, error.Code);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task OpenReadAsync_BigFile_EqualsLocalBytes()
    {
        var stream = await _source.OpenReadAsync("big.bin");
        using var copy = new MemoryStream();
        await using (stream)
        {
            await stream.CopyToAsync(copy);
        }

        Assert.True(copy.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_tree.Root, "big.bin"))));
    }

    [Fact]
    public async Task GetEntryAsync_File_ReturnsLocalSizeAndTime()
    {
        var info = new FileInfo(Path.Combine(_tree.Root, "ünïcødé 日本/файл.dcm"));

        var entry = await _source.GetEntryAsync("ünïcødé 日本/файл.dcm");

        Assert.Equal(new FileEntry("ünïcødé 日本/файл.dcm", info.Length, new DateTimeOffset(info.LastWriteTimeUtc)), entry);
    }

    [Fact]
    public async Task GetEntryAsync_FolderOrMissing_ReturnsNull()
    {
        Assert.Null(await _source.GetEntryAsync("dir one"));
        Assert.Null(await _source.GetEntryAsync("no such file"));
    }

    [Fact]
    public async Task ReadPrefixAsync_PathClimbingOutOfRoot_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _source.ReadPrefixAsync("../etc/passwd", new byte[10]));
    }
}
