using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using Polly;

namespace NasPacs.Enumeration;

/// <summary>
/// A local disk, a mounted share or a UNC path, walked in parallel (<c>getdents64</c> on Linux, else <c>FileSystemEnumerable</c>).
/// </summary>
internal sealed partial class LocalFileSource : IFileSource
{
    private readonly LocalFileSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly Lazy<ResiliencePipeline> _retry;

    // The root as UTF-8 with a trailing '/', for header reads through open(2) and pread(2); null off Linux.
    private readonly byte[]? _rootUtf8;

    public LocalFileSource(string rootPath, LocalFileSourceOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        _options = options;
        _time = time;
        RootPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootPath));
        if (RootPath.Length == 0)
        {
            RootPath = Path.GetFullPath(rootPath);
        }

        if (File.Exists(RootPath))
        {
            throw new FileSourceException(
                ErrorCategory.Configuration,
                ErrorCodes.RootUnreachable,
                $"'{RootPath}' is a file, not a folder. Give the folder that holds the DICOM files.",
                relativePath: "");
        }

        if (!Directory.Exists(RootPath))
        {
            throw new FileSourceException(
                ErrorCategory.FileSystem,
                ErrorCodes.RootUnreachable,
                $"The folder '{RootPath}' does not exist or cannot be reached. Check the path, that the share is mounted, and that this account may read it.",
                relativePath: "");
        }

        // Built on the first transient failure: building a Polly pipeline (its options are validated by reflection) cost
        // about 3 ms of CPU in a native AOT binary, at the start of every run, for a retry that is rarely needed.
        _retry = new Lazy<ResiliencePipeline>(() => Retry.Create(options, time));
        _rootUtf8 = OperatingSystem.IsLinux() && !RootPath.Contains('\0', StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(RootPath + "/") : null;
    }

    /// <summary>The absolute root path, without a trailing separator.</summary>
    public string RootPath { get; }

    /// <summary>How folders are listed; tests set it to compare the native and the managed listing.</summary>
    internal FolderListing Listing { get; init; }

    /// <summary>Called before each attempt to list a folder (see <see cref="ParallelWalker.BeforeListing"/>); for tests.</summary>
    internal Action<string>? BeforeListing { get; init; }

    /// <summary>Folders listed with <c>getdents64</c> by the enumerations of this source so far.</summary>
    internal long NativeFoldersListed => Interlocked.Read(ref _nativeFoldersListed);

    private long _nativeFoldersListed;

    public string DisplayName => RootPath;

    public IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return EnumerateCore(options, cancellationToken);
    }

    private async IAsyncEnumerable<FileEntry> EnumerateCore(FileEnumerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Folder listings arrive as batches so that a channel operation is paid per folder, not per file; the bound
        // keeps a fast walk from running ahead of a slow consumer (memory stays flat on 10 million files).
        var batches = Channel.CreateBounded<FileEntry[]>(new BoundedChannelOptions(64) { SingleReader = true });
        using var walkCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var walker = new ParallelWalker(RootPath, options, _options, _retry, _time, batches.Writer, Listing) { BeforeListing = BeforeListing };
        var walk = walker.RunAsync(walkCancel.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in batch)
                {
                    // ReadAllAsync only looks at the token when it has to wait, and a batch may hold thousands of files:
                    // checked per entry, a consumer that cancels gets no further file (a token read costs nothing here).
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return entry;
                }
            }

            await walk.ConfigureAwait(false);
        }
        finally
        {
            await walkCancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await walk.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The consumer stopped early; the walk stops with it.
            }

            Interlocked.Add(ref _nativeFoldersListed, walker.NativeFolders);
        }
    }

    public ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_rootUtf8 is not null && TryReadPrefixUnix(relativePath, destination.Span, out var prefix))
        {
            return ValueTask.FromResult(prefix);
        }

        var full = FullPath(relativePath);
        try
        {
            // Synchronous positional reads: on a warm cache or a mounted share this is one open, one pread, one close;
            // async file I/O would only add thread hops.
            using var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var total = 0;
            while (total < destination.Length)
            {
                var read = RandomAccess.Read(handle, destination.Span[total..], total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return ValueTask.FromResult(total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.FromException(ex, relativePath);
        }
    }

    public ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(FullPath(relativePath));
        FileEntry? entry = info.Exists ? new FileEntry(relativePath, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)) : null;
        return ValueTask.FromResult(entry);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// A header read on Linux as one open, preads and one close, with nothing allocated: <see cref="File.OpenHandle"/> adds an
    /// fstat (its check that the handle is not a folder; here pread fails on a folder instead), a finalizable handle and
    /// the path string, per file. Any failure returns <see langword="false"/> and the caller reads the file the managed way,
    /// so every error is reported exactly as before. Relative paths are checked as <see cref="FullPath"/> checks them.
    /// </summary>
    private bool TryReadPrefixUnix(string relativePath, Span<byte> destination, out int total)
    {
        total = 0;
        CheckRelative(relativePath);
        var root = _rootUtf8!;
        var length = root.Length + Encoding.UTF8.GetByteCount(relativePath) + 1;
        if (relativePath.Length == 0 || length > PathBuffer || relativePath.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> path = stackalloc byte[PathBuffer];
        root.CopyTo(path);
        var end = root.Length + Encoding.UTF8.GetBytes(relativePath, path[root.Length..]);
        path[end] = 0;
        var fd = UnixFile.Open(ref path[0], UnixFile.ReadOnlyNonBlockingCloseOnExec);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            while (total < destination.Length)
            {
                var read = UnixFile.PRead(fd, ref destination[total], (nuint)(destination.Length - total), total);
                if (read < 0)
                {
                    if (Marshal.GetLastPInvokeError() == UnixFile.ESPipe)
                    {
                        // The managed read would open it again without O_NONBLOCK and wait for a writer.
                        throw new FileSourceException(
                            ErrorCategory.FileSystem,
                            ErrorCodes.FileUnreadable,
                            "This is a FIFO (a named pipe), not a file: it holds no image and was not read.",
                            relativePath);
                    }

                    total = 0;
                    return false;
                }

                if (read == 0)
                {
                    break;
                }

                total += (int)read;
            }

            return true;
        }
        finally
        {
            // A read-only descriptor has nothing to flush: a failing close loses nothing.
            _ = UnixFile.Close(fd);
        }
    }

    // PATH_MAX on Linux.
    private const int PathBuffer = 4096;

    /// <summary>The absolute path of a relative one; refuses paths that would leave the root.</summary>
    internal string FullPath(string relativePath)
    {
        CheckRelative(relativePath);
        return relativePath.Length == 0 ? RootPath : Path.Join(RootPath, relativePath.Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>Refuses a relative path that would leave the root.</summary>
    private static void CheckRelative(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);

        // Segments as spans: this runs once per header read, and splitting into strings allocated an array and every segment.
        var path = relativePath.AsSpan();
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (segment.SequenceEqual("..") || segment.Contains('\\') || Path.IsPathRooted(segment))
            {
                throw new FileSourceException(ErrorCategory.Configuration, ErrorCodes.FileUnreadable, "The path leaves the root of the file source.", relativePath);
            }
        }
    }
}
