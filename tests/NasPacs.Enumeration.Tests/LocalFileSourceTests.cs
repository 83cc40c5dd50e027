using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Testing;

namespace NasPacs.Enumeration.Tests;

public sealed class LocalFileSourceTests : IDisposable
{
    private readonly TempFolder _root = new("naspacs-enum");

    public void Dispose() => _root.Dispose();

    private LocalFileSource Source(LocalFileSourceOptions? options = null) => new(_root.Path, options ?? new LocalFileSourceOptions(), TimeProvider.System);

    private void Write(string relativePath, int bytes = 10) => File.WriteAllBytes(_root.Combine(relativePath), new byte[bytes]);

    private static async Task<List<FileEntry>> ListAsync(LocalFileSource source, FileEnumerationOptions? options = null)
    {
        var entries = new List<FileEntry>();
        await foreach (var entry in source.EnumerateAsync(options ?? new FileEnumerationOptions()))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Fact]
    public async Task EnumerateAsync_FolderFailsOnceWithATransientError_IsListedAgainAndNothingIsReported()
    {
        Write("A/1.dcm");
        Write("A/2.dcm");
        Write("B/3.dcm");
        var attempts = 0;
        var reports = new List<ErrorReport>();
        var source = new LocalFileSource(_root.Path, new LocalFileSourceOptions { RetryDelay = TimeSpan.Zero }, TimeProvider.System)
        {
            BeforeListing = folder =>
            {
                if (folder == "A" && Interlocked.Increment(ref attempts) == 1)
                {
                    throw new IOException("Input/output error"); // a share that dropped for a moment
                }
            },
        };

        var entries = await ListAsync(source, new FileEnumerationOptions { OnError = r => reports.Add(r) });

        Assert.Equal(["A/1.dcm", "A/2.dcm", "B/3.dcm"], entries.Select(e => e.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(2, attempts);
        Assert.Empty(reports);
    }

    [Fact]
    public async Task EnumerateAsync_FolderKeepsFailing_IsReportedAfterEveryAttemptAndTheWalkGoesOn()
    {
        Write("A/1.dcm");
        Write("B/3.dcm");
        var attempts = 0;
        var reports = new List<ErrorReport>();
        var source = new LocalFileSource(_root.Path, new LocalFileSourceOptions { MaxAttempts = 3, RetryDelay = TimeSpan.Zero }, TimeProvider.System)
        {
            BeforeListing = folder =>
            {
                if (folder == "A")
                {
                    Interlocked.Increment(ref attempts);
                    throw new IOException("Input/output error");
                }
            },
        };

        var entries = await ListAsync(source, new FileEnumerationOptions { OnError = r => reports.Add(r) });

        Assert.Equal("B/3.dcm", Assert.Single(entries).RelativePath);
        Assert.Equal(3, attempts);
        var report = Assert.Single(reports);
        Assert.Equal("A", report.Path);
        Assert.Equal(2, report.RetryCount);
        Assert.True(report.IsTransient);
    }

    [Fact]
    public async Task EnumerateAsync_NestedTree_YieldsEveryFileOnceWithSlashPaths()
    {
        for (var p = 0; p < 5; p++)
        {
            for (var s = 0; s < 4; s++)
            {
                for (var i = 0; i < 30; i++)
                {
                    Write($"P{p}/S{s}/IM{i:D4}.dcm", i);
                }
            }
        }

        Write("top.dcm", 3);
        var entries = await ListAsync(Source(), new FileEnumerationOptions { MaxParallelism = 3 });

        Assert.Equal(5 * 4 * 30 + 1, entries.Count);
        Assert.Equal(entries.Count, entries.Select(e => e.RelativePath).Distinct().Count());
        var entry = Assert.Single(entries, e => e.RelativePath == "P2/S3/IM0007.dcm");
        Assert.Equal(7, entry.Size);
        Assert.Equal(File.GetLastWriteTimeUtc(_root.Combine("P2/S3/IM0007.dcm")), entry.LastWriteTimeUtc.UtcDateTime);
        Assert.Contains(entries, e => e.RelativePath == "top.dcm");
    }

    [Fact]
    public async Task EnumerateAsync_HiddenAndExcludedFolders_AreSkipped()
    {
        Write("visible/a.dcm");
        Write(".hidden/b.dcm");
        Write("visible/.c.dcm");
        Write("visible/@eaDir/thumb.dcm");
        var filter = new DicomCandidateFilter(new CandidateFilterOptions());

        var entries = await ListAsync(Source(), new FileEnumerationOptions { ShouldEnterDirectory = filter.ShouldEnterDirectory });

        Assert.Equal(["visible/a.dcm"], entries.Select(e => e.RelativePath));
    }

    [Fact]
    public async Task EnumerateAsync_SymlinkLoop_IsNotFollowed()
    {
        Write("a/b/IM1.dcm");
        Directory.CreateSymbolicLink(_root.Combine("a/b/loop"), _root.Combine("a"));
        Directory.CreateSymbolicLink(_root.Combine("a/b/back-to-root"), _root.Path);

        var entries = await ListAsync(Source());

        Assert.Equal(["a/b/IM1.dcm"], entries.Select(e => e.RelativePath));
    }

    [Fact]
    public async Task EnumerateAsync_SymlinkOutsideRoot_IsFollowedOnce()
    {
        using var outside = new TempFolder("naspacs-enum-outside");
        File.WriteAllBytes(outside.Combine("x/IM1.dcm"), [1, 2, 3]);
        Directory.CreateSymbolicLink(_root.Combine("link1"), outside.Path);
        Directory.CreateSymbolicLink(_root.Combine("link2"), outside.Path);

        var entries = await ListAsync(Source());

        var entry = Assert.Single(entries);
        Assert.EndsWith("/x/IM1.dcm", entry.RelativePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnumerateAsync_FollowLinksOff_SkipsLinkedFolders()
    {
        using var outside = new TempFolder("naspacs-enum-outside");
        File.WriteAllBytes(outside.Combine("IM1.dcm"), [1]);
        Directory.CreateSymbolicLink(_root.Combine("link"), outside.Path);

        var entries = await ListAsync(Source(new LocalFileSourceOptions { FollowDirectoryLinks = false }));

        Assert.Empty(entries);
    }

    [Fact]
    public async Task EnumerateAsync_NamesWithSpacesAndNonAscii_AreKept()
    {
        Write("Müller Jörg/CT Thorax 2024/Bild 1.dcm");
        Write("患者/系列/图像.dcm");

        var entries = await ListAsync(Source());

        Assert.Equal(["Müller Jörg/CT Thorax 2024/Bild 1.dcm", "患者/系列/图像.dcm"], entries.Select(e => e.RelativePath).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EnumerateAsync_ProgressAndCancellation_ReportFoldersAndStop()
    {
        for (var i = 0; i < 50; i++)
        {
            Write($"f{i}/IM.dcm");
        }

        long folders = 0;
        using var cancel = new CancellationTokenSource();
        var seen = 0;
        var options = new FileEnumerationOptions { OnProgress = p => Interlocked.Exchange(ref folders, p.FoldersListed) };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Source().EnumerateAsync(options, cancel.Token))
            {
                if (++seen == 5)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.True(Interlocked.Read(ref folders) >= 1);
        Assert.True(seen < 50);
    }

    [Fact]
    public async Task ReadPrefixAsync_SmallFile_ReturnsWholeFile()
    {
        File.WriteAllBytes(_root.Combine("a.dcm"), [1, 2, 3, 4, 5]);
        var buffer = new byte[16];

        var read = await Source().ReadPrefixAsync("a.dcm", buffer);

        Assert.Equal(5, read);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buffer[..5]);
    }

    [Fact]
    public async Task ReadPrefixAsync_MissingFile_ThrowsVanished()
    {
        var ex = await Assert.ThrowsAsync<FileSourceException>(async () => await Source().ReadPrefixAsync("gone.dcm", new byte[8]));
        Assert.Equal(ErrorCodes.FileVanished, ex.Code);
        Assert.False(ex.IsTransient);
        Assert.Equal("gone.dcm", ex.RelativePath);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../x")]
    [InlineData("a/..")]
    [InlineData("a\\..\\..\\x")]
    public async Task ReadPrefixAsync_PathLeavingRoot_IsRefused(string path)
    {
        await Assert.ThrowsAsync<FileSourceException>(async () => await Source().ReadPrefixAsync(path, new byte[8]));
    }

    [Fact]
    public void Create_MissingRoot_ThrowsRootUnreachable()
    {
        var ex = Assert.Throws<FileSourceException>(() => new LocalFileSource(Path.Combine(_root.Path, "nope"), new LocalFileSourceOptions(), TimeProvider.System));
        Assert.Equal(ErrorCodes.RootUnreachable, ex.Code);
    }

    [Fact]
    public void AddNasEnumeration_InvalidBufferSize_FailsNamingTheSetting()
    {
        using var services = new ServiceCollection().AddNasEnumeration(o => o.ListingBufferSize = 10).BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<ILocalFileSourceFactory>().Create(_root.Path));
        Assert.Contains(nameof(LocalFileSourceOptions.ListingBufferSize), ex.Message, StringComparison.Ordinal);
    }
}
