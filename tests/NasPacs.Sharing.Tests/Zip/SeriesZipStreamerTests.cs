using System.IO.Compression;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.Sharing.Zip;
using NasPacs.Testing;

namespace NasPacs.Sharing.Tests.Zip;

public sealed class SeriesZipStreamerTests : IDisposable
{
    private static readonly SeriesSummary Series = new()
    {
        SeriesKey = "1.2.3",
        PatientId = "NP/007",
        StudyDate = "20240301",
        SeriesNumber = "4",
        SeriesDescription = "T1 axial: post?",
        Modality = "MR",
    };

    private readonly TempFolder _folder = new("naspacs-zip");
    private readonly SeriesZipStreamer _streamer = new(Options.Create(new ShareOptions { DatabasePath = "unused", ReadBufferSize = 64 * 1024 }), TimeProvider.System, NullLogger<SeriesZipStreamer>.Instance);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task WriteAsync_FolderOfFiles_RealClientsReadEveryEntryWithTheNasBytes()
    {
        var nas = NasWith(("b/2.dcm", 300_000), ("a/1.dcm", 1), ("c/3.dcm", 0), ("c/4.dcm", 1_500_000));
        var source = new FolderSource(nas);
        var zipPath = _folder.Combine("out/series.zip");

        var result = await WriteAsync(zipPath, source, source.Index());

        Assert.Equal(new ZipStreamResult(4, 0, 1_800_001), result);
        Assert.Equal((0, "No errors detected in compressed data of " + zipPath + "."), ZipClients.UnzipTest(zipPath));
        var entries = ZipClients.PythonRead(zipPath);
        var folder = "NP_007_20240301/4_T1_axial__post/";
        Assert.Equal(Enumerable.Range(1, 4).Select(n => $"{folder}IM_{n:D5}.dcm"), entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(0, e.Method));
        var files = source.Index();
        for (var i = 0; i < files.Count; i++)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(nas, files[i].RelativePath));
            Assert.Equal(bytes.Length, entries[i].Size);
        }

        // .NET's reader as a third client: bytes equal, not only CRCs.
        using var zip = ZipFile.OpenRead(zipPath);
        for (var i = 0; i < files.Count; i++)
        {
            using var copy = new MemoryStream();
            await using (var entry = await zip.Entries[i].OpenAsync())
            {
                await entry.CopyToAsync(copy);
            }

            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(nas, files[i].RelativePath)), copy.ToArray());
        }
    }

    [Fact]
    public async Task WriteAsync_Deflate_EntriesAreDeflatedAndIntact()
    {
        var nas = NasWith(("x/1.dcm", 200_000));
        var source = new FolderSource(nas);
        var zipPath = _folder.Combine("deflate.zip");

        await WriteAsync(zipPath, source, source.Index(), ShareCompression.Deflate);

        var entry = Assert.Single(ZipClients.PythonRead(zipPath));
        Assert.Equal(8, entry.Method);
        Assert.Equal(0, ZipClients.UnzipTest(zipPath).ExitCode);
    }

    [Fact]
    public async Task WriteAsync_70000Entries_WritesZip64ThatRealClientsRead()
    {
        const int count = 70_000;
        var source = new GeneratedSource(count, 7);
        var zipPath = _folder.Combine("many.zip");

        var result = await WriteAsync(zipPath, source, source.Index());

        Assert.Equal(count, result.FilesWritten);
        var entries = ZipClients.PythonRead(zipPath);
        Assert.Equal(count, entries.Count);
        Assert.Equal("NP_007_20240301/4_T1_axial__post/IM_70000.dcm", entries[^1].Name);
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            using var last = new MemoryStream();
            await using (var entry = await zip.Entries[^1].OpenAsync())
            {
                await entry.CopyToAsync(last);
            }

            Assert.Equal(GeneratedSource.Content(count, 7), last.ToArray());
        }

        Assert.Equal(0, ZipClients.UnzipTest(zipPath).ExitCode);

        // APPNOTE 4.3.14/4.3.15: the ZIP64 end of central directory record and its locator.
        var bytes = await File.ReadAllBytesAsync(zipPath);
        Assert.True(bytes.AsSpan().LastIndexOf("PK\u0006\u0006"u8) > 0, "no ZIP64 end of central directory record");
        Assert.True(bytes.AsSpan().LastIndexOf("PK\u0006\u0007"u8) > 0, "no ZIP64 end of central directory locator");
    }

    [Fact]
    public async Task WriteAsync_ArchiveOver4GiB_WritesZip64SizesAndOffsetsThatRealClientsRead()
    {
        // One entry over 4 GiB (ZIP64 sizes in its local header, descriptor and central record), one before it and two after
        // it (central offsets past 4 GiB). Zeros, so the sparse output costs no disk.
        const long Big = (4L << 30) + 12_345;
        var source = new ZeroSource(1000, Big, 7, 70_000);
        var zipPath = _folder.Combine("big.zip");
        await using (var file = File.Create(zipPath))
        {
            var writer = PipeWriter.Create(new AsyncOnlyStream(file) { SkipZeroBlocks = true });
            var result = await _streamer.WriteAsync(writer, new SeriesZipRequest(Series, new ListIndex(Series, source.Index()), source));
            await writer.CompleteAsync();
            Assert.Equal(new ZipStreamResult(4, 0, Big + 71_007), result);
        }

        Assert.Equal(0, ZipClients.UnzipTest(zipPath).ExitCode);
        var entries = ZipClients.PythonRead(zipPath);
        Assert.Equal([1000, Big, 7, 70_000], entries.Select(e => e.Size));
        Assert.All(entries, e => Assert.Equal(0, e.Method));
        using var zip = ZipFile.OpenRead(zipPath);
        Assert.Equal(Big, zip.Entries[1].Length);
        using var last = new MemoryStream();
        await using (var entry = await zip.Entries[3].OpenAsync())
        {
            await entry.CopyToAsync(last);
        }

        Assert.Equal(new byte[70_000], last.ToArray());
    }

    [Fact]
    public async Task WriteAsync_FilesDeletedOrChangedSinceIndexing_ListsThemInMissingTxt()
    {
        var nas = NasWith(("s/1.dcm", 1000), ("s/2.dcm", 1000), ("s/3.dcm", 1000), ("s/4.dcm", 1000));
        var source = new FolderSource(nas);
        var index = source.Index();
        File.Delete(Path.Combine(nas, "s/2.dcm"));
        await File.AppendAllTextAsync(Path.Combine(nas, "s/3.dcm"), "grown");
        File.SetLastWriteTimeUtc(Path.Combine(nas, "s/4.dcm"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var zipPath = _folder.Combine("missing.zip");

        var result = await WriteAsync(zipPath, source, index);

        Assert.Equal(new ZipStreamResult(1, 3, 1000), result);
        Assert.Equal(0, ZipClients.UnzipTest(zipPath).ExitCode);
        Assert.Equal(["IM_00001.dcm", "MISSING.txt"], ZipClients.PythonRead(zipPath).Select(e => e.Name.Split('/')[^1]));
        using var zip = ZipFile.OpenRead(zipPath);
        using var reader = new StreamReader(zip.Entries[^1].Open());
        var text = await reader.ReadToEndAsync();
        Assert.Contains("(3 of 4)", text, StringComparison.Ordinal);
        Assert.Contains("IM_00002.dcm  vanished", text, StringComparison.Ordinal);
        Assert.Contains("IM_00003.dcm  changed", text, StringComparison.Ordinal);
        Assert.Contains("IM_00004.dcm  changed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("s/2.dcm", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Cancelled_StopsReadingTheNas()
    {
        var nas = NasWith(Enumerable.Range(1, 20).Select(i => ($"c/{i:D2}.dcm", 1_000_000)).ToArray());
        using var cancel = new CancellationTokenSource();
        var source = new FolderSource(nas) { OnRead = total => { if (total >= 1_500_000) cancel.Cancel(); } };
        await using var output = new AsyncOnlyStream(Stream.Null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _streamer.WriteAsync(PipeWriter.Create(output), new SeriesZipRequest(Series, new ListIndex(Series, source.Index()), source), cancel.Token));

        Assert.InRange(source.BytesRead, 1_500_000, 2_000_000);
    }

    [Fact]
    public void ArchiveFileName_CarriesNoPatientData()
        => Assert.Equal("series_20240301_4.zip", _streamer.ArchiveFileName(Series));

    private async Task<ZipStreamResult> WriteAsync(string zipPath, NasPacs.Abstractions.Files.IFileSource source, List<IndexedFile> files, ShareCompression compression = ShareCompression.Stored)
    {
        await using var file = File.Create(zipPath);
        await using var output = new AsyncOnlyStream(file);
        var writer = PipeWriter.Create(output);
        var result = await _streamer.WriteAsync(writer, new SeriesZipRequest(Series, new ListIndex(Series, files), source, compression));
        await writer.CompleteAsync();
        return result;
    }

    private string NasWith(params (string Path, int Size)[] files)
    {
        var root = _folder.Combine("nas/.keep");
        foreach (var (path, size) in files)
        {
            var bytes = new byte[size];
            Random.Shared.NextBytes(bytes);
            File.WriteAllBytes(_folder.Combine("nas/" + path), bytes);
        }

        File.Delete(root);
        return Path.GetDirectoryName(root)!;
    }
}
