using System.Collections.Concurrent;
using System.IO.Enumeration;
using System.Threading.Channels;
using NasPacs.Abstractions.Files;
using Polly;

namespace NasPacs.Enumeration;

/// <summary>
/// Lists folders on several threads at once (one <see cref="FileSystemEnumerable{TResult}"/> per folder, no recursion) and
/// publishes each folder's files as one batch. Folders wait on a stack, so the walk goes depth first and the frontier stays small.
/// </summary>
internal sealed class ParallelWalker : IDisposable
{
    private const int MaxBatch = 4096;

    private readonly string _root;
    private readonly FileEnumerationOptions _options;
    private readonly LocalFileSourceOptions _sourceOptions;
    private readonly ResiliencePipeline _retry;
    private readonly TimeProvider _time;
    private readonly ChannelWriter<FileEntry[]> _output;
    private readonly ConcurrentStack<Folder> _folders = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly ConcurrentDictionary<string, byte> _followedLinks = new(StringComparer.Ordinal);
    private readonly System.IO.EnumerationOptions _listing;
    private long _pending;
    private long _foldersListed;
    private long _filesSeen;
    private int _done;

    public ParallelWalker(string root, FileEnumerationOptions options, LocalFileSourceOptions sourceOptions, ResiliencePipeline retry, TimeProvider time, ChannelWriter<FileEntry[]> output)
    {
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

    private readonly record struct Folder(string FullPath, string RelativePath, string RealPath);

    private readonly record struct Item(string Name, bool IsDirectory, bool IsLink, bool IsHidden, long Length, DateTimeOffset LastWriteTimeUtc);

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

    public void Dispose() => _available.Dispose();

    private void Enqueue(Folder folder)
    {
        Interlocked.Increment(ref _pending);
        _folders.Push(folder);
        _available.Release();
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Volatile.Read(ref _done) == 1 || !_folders.TryPop(out var folder))
            {
                return;
            }

            try
            {
                await ListAsync(folder, cancellationToken).ConfigureAwait(false);
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

    private async Task ListAsync(Folder folder, CancellationToken cancellationToken)
    {
        var files = new List<FileEntry>();
        var published = false;
        var retries = 0;
        var subfolders = new List<Folder>();
        try
        {
            await _retry.ExecuteAsync(
                async ct =>
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
                },
                cancellationToken).ConfigureAwait(false);
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
    }

    private async Task ListOnceAsync(Folder folder, List<FileEntry> files, List<Folder> subfolders, Action markPublished, CancellationToken ct)
    {
        foreach (var item in new FileSystemEnumerable<Item>(folder.FullPath, Transform, _listing))
        {
            ct.ThrowIfCancellationRequested();
            if (item.IsHidden && _options.SkipHidden)
            {
                continue;
            }

            var relative = folder.RelativePath.Length == 0 ? item.Name : string.Concat(folder.RelativePath, "/", item.Name);
            if (item.IsDirectory)
            {
                if (TryFolder(folder, item, relative, out var sub))
                {
                    subfolders.Add(sub);
                }

                continue;
            }

            files.Add(new FileEntry(relative, item.Length, item.LastWriteTimeUtc));
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

    private bool TryFolder(Folder parent, Item item, string relative, out Folder folder)
    {
        folder = default;
        if (_options.ShouldEnterDirectory is { } enter && !enter(relative))
        {
            return false;
        }

        var full = Path.Join(parent.FullPath, item.Name);
        if (!item.IsLink)
        {
            folder = new Folder(full, relative, Path.Join(parent.RealPath, item.Name));
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

    private static Item Transform(ref FileSystemEntry entry)
    {
        if (!entry.IsDirectory && !OperatingSystem.IsWindows())
        {
            // A file needs no attributes on Unix (hidden means a leading dot; links matter only for folders), and reading
            // them costs a geteuid call per file for the read-only bit.
            return new Item(entry.FileName.ToString(), false, false, entry.FileName.StartsWith('.'), entry.Length, entry.LastWriteTimeUtc);
        }

        var attributes = entry.Attributes;
        var hidden = entry.FileName.StartsWith('.') || (attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0;
        return new Item(
            entry.FileName.ToString(),
            entry.IsDirectory,
            (attributes & FileAttributes.ReparsePoint) != 0,
            hidden,
            entry.IsDirectory ? 0 : entry.Length,
            entry.LastWriteTimeUtc);
    }
}
