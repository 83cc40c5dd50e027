using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using NasPacs.Abstractions.Files;
using Polly;

namespace NasPacs.Enumeration;

/// <summary>
/// Lists folders on several threads at once (one listing per folder, no recursion: <c>getdents64</c> on Linux, else a
/// <see cref="FileSystemEnumerable{TResult}"/>) and publishes each folder's files as one batch. Folders wait on a stack,
/// so the walk goes depth first and the frontier stays small.
/// </summary>
internal sealed partial class ParallelWalker : IDisposable
{
    private const int MaxBatch = 4096;

    private readonly string _root;
    private readonly FileEnumerationOptions _options;
    private readonly LocalFileSourceOptions _sourceOptions;
    private readonly Lazy<ResiliencePipeline> _retry;
    private readonly TimeProvider _time;
    private readonly ChannelWriter<FileEntry[]> _output;
    private readonly ConcurrentStack<Folder> _folders = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly ConcurrentDictionary<string, byte> _followedLinks = new(StringComparer.Ordinal);
    private readonly System.IO.EnumerationOptions _listing;
    private readonly FolderListing _mode;
    private long _pending;
    private long _nativeFolders;
    private long _foldersListed;
    private long _filesSeen;
    private int _done;

    public ParallelWalker(string root, FileEnumerationOptions options, LocalFileSourceOptions sourceOptions, Lazy<ResiliencePipeline> retry, TimeProvider time, ChannelWriter<FileEntry[]> output, FolderListing mode = FolderListing.Auto)
    {
        _mode = mode;
        _time = time;
        _root = root;
        _options = options;
        _sourceOptions = sourceOptions;
        _retry = retry;
        _output = output;
        _listing = new System.IO.EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            ReturnSpecialDirectories = false,
            AttributesToSkip = 0,
            BufferSize = sourceOptions.ListingBufferSize,
        };
    }

    private static readonly FileSystemEnumerable<Item>.FindPredicate NotHidden = (ref FileSystemEntry entry) => !IsHidden(ref entry);

    /// <summary>Called before each attempt to list a folder, with its relative path; tests throw from it to make a listing fail.</summary>
    internal Action<string>? BeforeListing { get; init; }

    private readonly record struct Folder(string FullPath, string RelativePath, string RealPath);

    /// <summary>One listed entry; <paramref name="RelativePath"/> is built in the transform, so a file costs one string.</summary>
    private readonly record struct Item(string RelativePath, bool IsDirectory, bool IsLink, long Length, DateTimeOffset LastWriteTimeUtc, bool IsSpecial = false);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            Enqueue(new Folder(_root, "", _root));
            var workers = new Task[Math.Clamp(_options.MaxParallelism, 1, 64)];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Run(() => WorkAsync(cancellationToken), cancellationToken);
            }

            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            _output.TryComplete(failure);
        }
    }

    /// <summary>Folders listed with <c>getdents64</c> so far (tests check that the native listing really ran).</summary>
    public long NativeFolders => Interlocked.Read(ref _nativeFolders);

    public void Dispose() => _available.Dispose();

    private void Enqueue(Folder folder)
    {
        Interlocked.Increment(ref _pending);
        _folders.Push(folder);
        _available.Release();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        // One pair of lists per worker for the whole walk: a list per folder regrew (4, 8, 16 …) for every folder.
        var files = new List<FileEntry>();
        var subfolders = new List<Folder>();
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _done) == 1 || !_folders.TryPop(out var folder))
            {
                return;
            }

            try
            {
                await ListAsync(folder, files, subfolders, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    // Nothing queued and nothing being listed: wake every worker so that it sees the end.
                    Volatile.Write(ref _done, 1);
                    _available.Release(int.MaxValue / 2);
                }
            }
        }
    }

    private async Task ListAsync(Folder folder, List<FileEntry> files, List<Folder> subfolders, CancellationToken cancellationToken)
    {
        files.Clear();
        subfolders.Clear();
        var published = false;
        var retries = 0;
        try
        {
            try
            {
                // The first attempt goes straight to the listing: the retry pipeline is for the rare transient failure.
                await AttemptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (FileErrors.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                // The pipeline sees the failed first attempt as its own first one, then backs off and retries.
                Exception? first = ex;
                await _retry.Value.ExecuteAsync(
                    async ct =>
                    {
                        if (Interlocked.Exchange(ref first, null) is { } failed)
                        {
                            ExceptionDispatchInfo.Throw(failed);
                        }

                        await AttemptAsync(ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (PartialListingException ex)
        {
            _options.OnError?.Invoke(FileErrors.FolderReport(ex.InnerException!, folder.RelativePath, _time.GetUtcNow(), retries - 1));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            _options.OnError?.Invoke(FileErrors.FolderReport(ex, folder.RelativePath, _time.GetUtcNow(), retries - 1));
        }

        // Subfolders found before a failure are still walked: one bad entry does not hide its siblings.
        foreach (var sub in subfolders)
        {
            Enqueue(sub);
        }

        await PublishAsync(files, cancellationToken).ConfigureAwait(false);
        var listed = Interlocked.Increment(ref _foldersListed);
        _options.OnProgress?.Invoke(new EnumerationProgress(listed, Volatile.Read(ref _filesSeen)));

        async Task AttemptAsync(CancellationToken ct)
        {
            files.Clear();
            subfolders.Clear();
            retries++;
            try
            {
                await ListOnceAsync(folder, files, subfolders, () => published = true, ct).ConfigureAwait(false);
            }
            catch (IOException ex) when (published)
            {
                // Part of this folder already went out: a retry would publish it twice, so this failure is final.
                throw new PartialListingException(ex);
            }
        }
    }

    private async Task ListOnceAsync(Folder folder, List<FileEntry> files, List<Folder> subfolders, Action markPublished, CancellationToken ct)
    {
        var parent = folder.RelativePath;
        BeforeListing?.Invoke(parent);
        using var stat = FolderStat.TryOpen(folder.FullPath);
        using var native = NativeListing.TryStart(stat, folder, _options.SkipHidden, _mode, _sourceOptions.ListingBufferSize);
        IEnumerable<Item> listing;
        if (native is not null)
        {
            Interlocked.Increment(ref _nativeFolders);
            listing = native;
        }
        else
        {
            listing = new FileSystemEnumerable<Item>(folder.FullPath, (ref FileSystemEntry entry) => Transform(ref entry, parent, stat), _listing)
            {
                // A hidden entry is dropped before its path string is built (and, for a file, before its stat).
                ShouldIncludePredicate = _options.SkipHidden ? NotHidden : null,
            };
        }

        foreach (var item in listing)
        {
            ct.ThrowIfCancellationRequested();
            if (item.IsSpecial)
            {
                continue;
            }

            if (item.IsDirectory)
            {
                if (TryFolder(folder, item, out var sub))
                {
                    subfolders.Add(sub);
                }

                continue;
            }

            files.Add(new FileEntry(item.RelativePath, item.Length, item.LastWriteTimeUtc));
            if (files.Count == MaxBatch)
            {
                markPublished();
                await PublishAsync(files, ct).ConfigureAwait(false);
            }
        }
    }

    private sealed class PartialListingException(IOException inner) : Exception(inner.Message, inner);

    private async ValueTask PublishAsync(List<FileEntry> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return;
        }

        Interlocked.Add(ref _filesSeen, files.Count);
        await _output.WriteAsync([.. files], cancellationToken).ConfigureAwait(false);
        files.Clear();
    }

    private bool TryFolder(Folder parent, Item item, out Folder folder)
    {
        folder = default;
        var relative = item.RelativePath;
        if (_options.ShouldEnterDirectory is { } enter && !enter(relative))
        {
            return false;
        }

        var name = relative.AsSpan(parent.RelativePath.Length == 0 ? 0 : parent.RelativePath.Length + 1);
        var full = Path.Join(parent.FullPath, name);
        if (!item.IsLink)
        {
            folder = new Folder(full, relative, Path.Join(parent.RealPath, name));
            return true;
        }

        if (!_sourceOptions.FollowDirectoryLinks)
        {
            return false;
        }

        string? target;
        try
        {
            target = Directory.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            target = null;
        }

        // A link to a folder inside the root is walked anyway, a link to an ancestor is a loop, and a target already
        // followed would be indexed twice: all three are skipped.
        if (target is null
            || IsSameOrBelow(target, _root)
            || IsSameOrBelow(parent.RealPath, target)
            || !_followedLinks.TryAdd(target, 0))
        {
            return false;
        }

        folder = new Folder(full, relative, target);
        return true;
    }

    private static bool IsSameOrBelow(string path, string ancestor)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        path = Path.TrimEndingDirectorySeparator(path);
        ancestor = Path.TrimEndingDirectorySeparator(ancestor);
        return path.Equals(ancestor, comparison)
            || (path.StartsWith(ancestor, comparison) && path.Length > ancestor.Length && (path[ancestor.Length] == Path.DirectorySeparatorChar || path[ancestor.Length] == Path.AltDirectorySeparatorChar));
    }

    /// <summary>
    /// Builds an entry's path below the root straight from the listing's name span: one string per file (a name string
    /// and then a concatenation cost two, and the walk is most of a re-index).
    /// </summary>
    private static Item Transform(ref FileSystemEntry entry, string parent, FolderStat? stat)
    {
        var name = entry.FileName;
        var relative = parent.Length == 0 ? name.ToString() : string.Concat(parent, "/", name);
        if (!entry.IsDirectory && !OperatingSystem.IsWindows())
        {
            // A file needs no attributes on Unix (links matter only for folders), and reading them costs a geteuid call
            // per file for the read-only bit. Size and time by name in the open folder, not by full path (FolderStat);
            // a FIFO, socket or device is left out, as the native listing leaves it out.
            var known = false;
            var (size, lastWrite, special) = (0L, default(DateTimeOffset), false);
            if (stat is not null)
            {
                known = stat.TryGet(name, out size, out lastWrite, out special);
            }

            return known || special
                ? new Item(relative, false, false, size, lastWrite, special)
                : new Item(relative, false, false, entry.Length, entry.LastWriteTimeUtc);
        }

        return new Item(
            relative,
            entry.IsDirectory,
            (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            entry.IsDirectory ? 0 : entry.Length,
            entry.LastWriteTimeUtc);
    }

    /// <summary>Hidden as <see cref="FileEnumerationOptions.SkipHidden"/> means it: a leading dot, or the Windows hidden or system attribute.</summary>
    private static bool IsHidden(ref FileSystemEntry entry)
        => entry.FileName.StartsWith('.') || (OperatingSystem.IsWindows() && (entry.Attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0);
}
