using System.Diagnostics;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Testing;

namespace NasPacs.Enumeration.Tests;

/// <summary>
/// Issue #3: on Linux the walk lists folders with getdents64 instead of .NET's FileSystemEnumerable. Each test walks one
/// real tree with both listings (and with every entry's type treated as DT_UNKNOWN, as some file systems report it) and
/// asks for the same files, sizes, times and error reports. Linux only, as the native listing is (CI runs on Linux).
/// </summary>
public sealed class NativeListingTests : IDisposable
{
    private readonly TempFolder _root = new("naspacs-native");
    private readonly TempFolder _outside = new("naspacs-native-outside");

    public void Dispose()
    {
        _root.Dispose();
        _outside.Dispose();
    }

    /// <summary>The native listing as Linux file systems answer (entry types given), and as DT_UNKNOWN ones do.</summary>
    public static TheoryData<bool, bool> NativeModes => new()
    {
        { false, true },
        { false, false },
        { true, true },
        { true, false },
    };

    private static FolderListing Native(bool withoutTypes) => withoutTypes ? FolderListing.NativeWithoutTypes : FolderListing.Auto;

    [Theory]
    [MemberData(nameof(NativeModes))]
    public async Task EnumerateAsync_MixedTree_NativeEqualsManaged(bool withoutTypes, bool skipHidden)
    {
        var time = new DateTime(2023, 2, 3, 4, 5, 6, DateTimeKind.Utc).AddTicks(9_876_543);
        var names = new[]
        {
            "P1/S1/IM0001.dcm", "P1/S1/IM0002.DCM", "P1/S2/image.ima", "P1/S2/no extension", "P1/S2/notes.txt",
            "Müller Jörg/CT Thorax 2024/Bild 1.dcm", "患者/系列/图像.dcm", "top.dcm", ".hidden.dcm", ".hidden folder/IM.dcm",
            "P2/.cache/IM.dcm", "P2/@eaDir/thumb.dcm", "P2/#recycle/old.dcm", "deep/a/b/c/d/e/f/IM.dcm",
        };
        for (var i = 0; i < names.Length; i++)
        {
            var path = _root.Combine(names[i]);
            File.WriteAllBytes(path, new byte[i * 7]);
            File.SetLastWriteTimeUtc(path, time.AddHours(i));
        }

        Directory.CreateDirectory(_root.Combine("empty"));
        Directory.CreateDirectory(_root.Combine("P2/empty inside"));
        File.WriteAllBytes(_outside.Combine("linked/IM9.dcm"), new byte[9]);
        Directory.CreateSymbolicLink(_root.Combine("link to outside"), _outside.Path);
        Directory.CreateSymbolicLink(_root.Combine("P1/link to sibling"), _root.Combine("P2"));
        Directory.CreateSymbolicLink(_root.Combine("deep/a/b/loop to ancestor"), _root.Combine("deep/a"));
        File.CreateSymbolicLink(_root.Combine("P1/link to file.dcm"), _root.Combine("top.dcm"));
        File.CreateSymbolicLink(_root.Combine("P1/broken link.dcm"), _root.Combine("nowhere.dcm"));
        File.CreateSymbolicLink(_root.Combine("P1/self loop"), _root.Combine("P1/self loop"));
        SpecialFiles.MakeFifo(_root.Combine("P1/a fifo"));
        SpecialFiles.MakeFifo(_root.Combine("P1/fifo.dcm"));
        SpecialFiles.MakeSocket(_root.Combine("P1/socket.dcm"));
        File.CreateSymbolicLink(_root.Combine("P1/link to fifo.dcm"), _root.Combine("P1/fifo.dcm"));
        File.CreateSymbolicLink(_root.Combine("P1/null.dcm"), "/dev/null");
        var filter = new DicomCandidateFilter(new CandidateFilterOptions());

        var (managed, native) = await CompareAsync(Native(withoutTypes), new FileEnumerationOptions { SkipHidden = skipHidden, ShouldEnterDirectory = filter.ShouldEnterDirectory });

        // The tree really has what the comparison is about (and the filter and hidden rules took part).
        Assert.Contains(managed.Entries, e => e.StartsWith("link to outside/linked/IM9.dcm ", StringComparison.Ordinal));
        Assert.Contains(managed.Entries, e => e.StartsWith("P1/self loop ", StringComparison.Ordinal));
        Assert.Contains(managed.Entries, e => e.StartsWith("P1/link to file.dcm ", StringComparison.Ordinal));
        Assert.Contains(managed.Entries, e => e.StartsWith("P1/broken link.dcm ", StringComparison.Ordinal));
        Assert.DoesNotContain(managed.Entries, e => e.Contains("@eaDir", StringComparison.Ordinal) || e.Contains("loop to ancestor", StringComparison.Ordinal) || e.Contains("link to sibling/", StringComparison.Ordinal));
        Assert.Equal(!skipHidden, managed.Entries.Any(e => e.StartsWith(".hidden folder/", StringComparison.Ordinal)));

        // FIFOs, sockets and devices, and links to them, are no files to read: opening a FIFO would wait for a writer.
        string[] special = ["P1/a fifo ", "P1/fifo.dcm ", "P1/socket.dcm ", "P1/link to fifo.dcm ", "P1/null.dcm "];
        Assert.DoesNotContain(managed.Entries, e => special.Any(s => e.StartsWith(s, StringComparison.Ordinal)));
        AssertSame(managed, native);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnumerateAsync_NamesNotValidUtf8_NativeEqualsManaged(bool withoutTypes)
    {
        File.WriteAllBytes(_root.Combine("ok/IM1.dcm"), new byte[5]);

        // A Latin-1 name (0xFC, ü) for a file and a lone continuation byte for a folder; .NET cannot make these names.
        // Without entry types .NET would take the folder for a file (its lstat by the decoded name fails): that case is
        // not the managed listing of this typed file system, so only the file is compared then.
        Run("/bin/sh", "-c", "cd \"$1\" && printf x > \"$(printf 'M\\374ller.dcm')\"", "sh", _root.Path);
        if (!withoutTypes)
        {
            Run("/bin/sh", "-c", "cd \"$1\" && mkdir \"$(printf 'S\\200rie')\" && printf y > \"$(printf 'S\\200rie')/IM2.dcm\"", "sh", _root.Path);
        }

        var (managed, native) = await CompareAsync(Native(withoutTypes), new FileEnumerationOptions());

        // Today's entry for such a file: U+FFFD in the path, size 0 and 1601-01-01, since nothing is found by that name.
        Assert.Contains("M\uFFFDller.dcm 0 504911232000000000", managed.Entries);
        Assert.Equal(withoutTypes ? 0 : 1, managed.Reports.Count(r => r.Contains("S\uFFFDrie", StringComparison.Ordinal)));
        AssertSame(managed, native);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnumerateAsync_FolderThatCannotBeListed_SameReportAndTheWalkGoesOn(bool withoutTypes)
    {
        File.WriteAllBytes(_root.Combine("before/IM1.dcm"), new byte[3]);
        File.WriteAllBytes(_root.Combine("after/IM2.dcm"), new byte[4]);

        // The tests run as root, who may list any folder; a folder whose path is longer than PATH_MAX cannot be opened by
        // anyone. It is made one step at a time from inside the previous one, as no single path may name it.
        var step = new string('d', 250);
        Run("/usr/bin/python3", "-c", "import os,sys\nos.chdir(sys.argv[1])\nfor _ in range(20):\n    os.mkdir(sys.argv[2]); os.chdir(sys.argv[2])\nopen('IM3.dcm', 'w').write('z')", _root.Path, step);

        var (managed, native) = await CompareAsync(Native(withoutTypes), new FileEnumerationOptions());

        Assert.Contains(managed.Entries, e => e.StartsWith("after/IM2.dcm ", StringComparison.Ordinal));
        var report = Assert.Single(managed.Reports);
        Assert.Contains(ErrorCodes.FolderUnreadable, report, StringComparison.Ordinal);
        AssertSame(managed, native);
        Run("rm", "-rf", _root.Combine(step));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EnumerateAsync_ManyEntriesSmallBuffer_NativeEqualsManaged(bool withoutTypes)
    {

        // 4 KiB holds about 80 records of these names: the listing needs many getdents64 calls per folder.
        for (var i = 0; i < 600; i++)
        {
            File.WriteAllBytes(_root.Combine($"big/IM{i:D5}-{new string('x', 20)}.dcm"), new byte[i % 13]);
        }

        Directory.CreateDirectory(_root.Combine("big/sub folder"));
        File.WriteAllBytes(_root.Combine("big/sub folder/last.dcm"), new byte[1]);

        var (managed, native) = await CompareAsync(Native(withoutTypes), new FileEnumerationOptions(), new LocalFileSourceOptions { ListingBufferSize = 4096 });

        Assert.Equal(601, managed.Entries.Count);
        AssertSame(managed, native);
    }

    [Fact]
    public async Task EnumerateAsync_CancelledWithinABatch_YieldsNoFurtherEntry()
    {
        // One folder of 200 files arrives as a single batch; the token is checked per entry, not per batch.
        for (var i = 0; i < 200; i++)
        {
            File.WriteAllBytes(_root.Combine($"one/IM{i}.dcm"), new byte[1]);
        }

        using var cancel = new CancellationTokenSource();
        var seen = 0;
        await using var source = new LocalFileSource(_root.Path, new LocalFileSourceOptions(), TimeProvider.System);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in source.EnumerateAsync(new FileEnumerationOptions(), cancel.Token))
            {
                if (++seen == 5)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        Assert.Equal(5, seen);
    }

    /// <summary>What one listing gave: entries as "path size ticks", and error reports without their time, both sorted.</summary>
    private sealed record Walk(List<string> Entries, List<string> Reports, long NativeFolders)
    {
        public bool Equals(Walk? other) => other is not null && Entries.SequenceEqual(other.Entries) && Reports.SequenceEqual(other.Reports);

        public override int GetHashCode() => Entries.Count;

        public override string ToString() => string.Join("\n", Entries.Concat(Reports));
    }

    private static void AssertSame(Walk managed, Walk native)
    {
        Assert.Equal(managed.Entries, native.Entries);
        Assert.Equal(managed.Reports, native.Reports);
    }

    private async Task<(Walk Managed, Walk Native)> CompareAsync(FolderListing mode, FileEnumerationOptions options, LocalFileSourceOptions? sourceOptions = null)
    {
        var managed = await WalkAsync(FolderListing.Managed, options, sourceOptions);
        var native = await WalkAsync(mode, options, sourceOptions);
        Assert.Equal(0, managed.NativeFolders);

        // Every folder the managed listing listed, the native one listed itself (none fell back), bar those that cannot be opened.
        Assert.True(native.NativeFolders > 0);
        Assert.Equal(managed.Reports.Count, (await CountFoldersAsync(options, sourceOptions)) - native.NativeFolders);
        return (managed, native);
    }

    private async Task<Walk> WalkAsync(FolderListing mode, FileEnumerationOptions options, LocalFileSourceOptions? sourceOptions)
    {
        var reports = new List<string>();
        var withReports = new FileEnumerationOptions
        {
            MaxParallelism = 3,
            SkipHidden = options.SkipHidden,
            ShouldEnterDirectory = options.ShouldEnterDirectory,
            OnError = r =>
            {
                lock (reports)
                {
                    reports.Add($"{r.Category} {r.Code} {r.Path} {r.Message} {r.Suggestion} {r.RetryCount} {r.IsTransient}");
                }
            },
        };
        var settings = sourceOptions ?? new LocalFileSourceOptions();
        settings.RetryDelay = TimeSpan.Zero;
        await using var source = new LocalFileSource(_root.Path, settings, TimeProvider.System) { Listing = mode };
        var entries = new List<string>();
        await foreach (var entry in source.EnumerateAsync(withReports))
        {
            entries.Add($"{entry.RelativePath} {entry.Size} {entry.LastWriteTimeUtc.UtcTicks}");
        }

        entries.Sort(StringComparer.Ordinal);
        reports.Sort(StringComparer.Ordinal);
        return new Walk(entries, reports, source.NativeFoldersListed);
    }

    private async Task<long> CountFoldersAsync(FileEnumerationOptions options, LocalFileSourceOptions? sourceOptions)
    {
        long folders = 0;
        var counting = new FileEnumerationOptions
        {
            SkipHidden = options.SkipHidden,
            ShouldEnterDirectory = options.ShouldEnterDirectory,
            OnProgress = p => Interlocked.Increment(ref folders),
        };
        await using var source = new LocalFileSource(_root.Path, sourceOptions ?? new LocalFileSourceOptions(), TimeProvider.System) { Listing = FolderListing.Managed };
        await foreach (var _ in source.EnumerateAsync(counting))
        {
        }

        return folders;
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {error}");
    }
}
