using System.Runtime.CompilerServices;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing.Tests.Zip;

/// <summary>A real folder as a file source (what the server's local roots are), counting the bytes it hands out.</summary>
internal sealed class FolderSource(string root) : IFileSource
{
    private long _bytesRead;

    public string DisplayName => root;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Called after every read with the bytes handed out so far.</summary>
    public Action<long>? OnRead { get; init; }

    public async IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            await Task.Yield();
            yield return Entry(path);
        }
    }

    public ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default)
        => throw new NotSupportedException();

    public ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(root, relativePath);
        if (!File.Exists(path))
        {
            throw new FileSourceException(ErrorCategory.FileSystem, ErrorCodes.FileVanished, "The file vanished.", relativePath);
        }

        return ValueTask.FromResult<Stream>(new CountingStream(File.OpenRead(path), n => OnRead?.Invoke(Interlocked.Add(ref _bytesRead, n))));
    }

    public ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(root, relativePath);
        return ValueTask.FromResult<FileEntry?>(File.Exists(path) ? Entry(path) : null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The files of the folder as an index would list them (sizes and times from the disk now).</summary>
    public List<IndexedFile> Index() => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
        .Select(p => Entry(p)).Select(e => new IndexedFile(e.RelativePath, e.Size, e.LastWriteTimeUtc, IndexedFileState.Indexed, "1.2.3", null, null, null)).ToList();

    private FileEntry Entry(string path)
    {
        var info = new FileInfo(path);
        return new FileEntry(Path.GetRelativePath(root, path).Replace('\\', '/'), info.Length, new DateTimeOffset(info.LastWriteTimeUtc));
    }

    private sealed class CountingStream(Stream inner, Action<int> counted) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Counted(int n)
        {
            counted(n);
            return n;
        }
    }
}

/// <summary>
/// Files generated on the fly (content is the file's number, repeated), for archives too large in entry count to keep on disk
/// in a unit test.
/// </summary>
internal sealed class GeneratedSource(int count, int size) : IFileSource
{
    private static readonly DateTimeOffset Time = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public string DisplayName => "generated";

    public static byte[] Content(int number, int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)((number + i) * 31);
        }

        return bytes;
    }

    public IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<Stream>(new MemoryStream(Content(int.Parse(relativePath.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), size)));

    public ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<FileEntry?>(new FileEntry(relativePath, size, Time));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public List<IndexedFile> Index() => Enumerable.Range(1, count)
        .Select(i => new IndexedFile($"f/{i}", size, Time, IndexedFileState.Indexed, "1.2.3", null, i, null)).ToList();
}

/// <summary>
/// The two index calls the zip streamer makes, over a list (the Sharing library may not reference NasPacs.Indexing; the
/// server's tests run the real index).
/// </summary>
internal sealed class ListIndex(SeriesSummary series, IReadOnlyList<IndexedFile> files) : IIndexQuery
{
    public Task<SeriesSummary?> GetSeriesAsync(string seriesKey, CancellationToken cancellationToken = default)
        => Task.FromResult<SeriesSummary?>(seriesKey == series.SeriesKey ? series : null);

    public Task<Page<IndexedFile>> GetSeriesFilesAsync(string seriesKey, PageRequest page, CancellationToken cancellationToken = default)
        => Task.FromResult(new Page<IndexedFile>(files.Skip(page.Offset).Take(page.Limit).ToList(), files.Count, page.Offset, page.Limit));

    public Task<Page<SeriesSummary>> SearchSeriesAsync(SeriesSearch search, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<StoredError>> GetErrorsAsync(ErrorSearch search, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Page<IndexRunInfo>> GetRunsAsync(PageRequest page, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IndexTotals> GetTotalsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task ExportAsync(Stream destination, ExportOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}

/// <summary>A write-only, non-seekable stream that refuses synchronous writes, as Kestrel's response body does.</summary>
internal sealed class AsyncOnlyStream(Stream inner) : Stream
{
    private const int ZeroBlock = 64 * 1024;

    /// <summary>
    /// Seeks over 64 KiB blocks of zeros instead of writing them, so a file written with gigabytes of zeros is sparse and
    /// takes almost no disk; readers still see the zeros. Needs a seekable inner stream whose last write is not zeros (a zip
    /// ends with its end record).
    /// </summary>
    public bool SkipZeroBlocks { get; init; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!SkipZeroBlocks)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        for (var at = 0; at < buffer.Length; at += ZeroBlock)
        {
            var block = buffer[at..Math.Min(buffer.Length, at + ZeroBlock)];
            if (block.Span.ContainsAnyExcept((byte)0))
            {
                await inner.WriteAsync(block, cancellationToken);
            }
            else
            {
                inner.Seek(block.Length, SeekOrigin.Current);
            }
        }
    }
}

/// <summary>
/// Files of zeros generated on the fly, of any size (for archives past 4 GiB): <c>f/{n}</c> is <paramref name="sizes"/>[n - 1]
/// bytes long.
/// </summary>
internal sealed class ZeroSource(params long[] sizes) : IFileSource
{
    private static readonly DateTimeOffset Time = new(2024, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public string DisplayName => "zeros";

    public IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<Stream>(new ZeroStream(Size(relativePath)));

    public ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<FileEntry?>(new FileEntry(relativePath, Size(relativePath), Time));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public List<IndexedFile> Index() => Enumerable.Range(1, sizes.Length)
        .Select(i => new IndexedFile($"f/{i}", sizes[i - 1], Time, IndexedFileState.Indexed, "1.2.3", null, i, null)).ToList();

    private long Size(string relativePath) => sizes[int.Parse(relativePath.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture) - 1];

    private sealed class ZeroStream(long length) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _read);
            buffer[..n].Clear();
            _read += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
