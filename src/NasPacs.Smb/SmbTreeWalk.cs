using System.Threading.Channels;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>
/// One enumeration: folders listed by several workers at once, files streamed to the caller as each folder
/// completes. A folder that cannot be listed is reported and skipped; the root failing ends the walk with its error.
/// </summary>
/// <remarks>
/// A server follows its own links: Samba shows a link to a folder as a plain folder, so a link to an ancestor
/// (<c>up -> ..</c>) made the walk descend <c>up/loop/up/loop/…</c> until paths grew too long, indexing the same files
/// again at every level. Each folder carries the file IDs of its ancestors, and a folder whose ID is among them is
/// not entered. A server that gives no IDs (0 or all ones) is walked as before.
/// </remarks>
internal sealed class SmbTreeWalk
{
    private readonly SmbFileSource _source;
    private readonly FileEnumerationOptions _options;
    private readonly ChannelWriter<FileEntry> _output;
    private readonly TimeProvider _time;
    private readonly Channel<Folder> _folders = Channel.CreateUnbounded<Folder>();
    private int _outstanding;
    private long _foldersListed;
    private long _filesSeen;

    public SmbTreeWalk(SmbFileSource source, FileEnumerationOptions options, ChannelWriter<FileEntry> output, TimeProvider time)
    {
        _source = source;
        _options = options;
        _output = output;
        _time = time;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // The root is listed first and alone, so that a wrong share or password fails the whole walk.
            List<DirectoryEntry> root;
            try
            {
                root = await _source.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false);
            }
            catch (FileSourceException ex) when (ex.Category == ErrorCategory.FileSystem)
            {
                throw new FileSourceException(ErrorCategory.FileSystem, ErrorCodes.RootUnreachable, $"The root {_source.DisplayName} cannot be listed: {ex.Message}", string.Empty, ex.IsTransient, ex);
            }

            _outstanding = 1;
            await HandleListingAsync(new Folder(string.Empty, null), root, cancellationToken).ConfigureAwait(false);
            var workers = Enumerable.Range(0, Math.Clamp(_options.MaxParallelism, 1, 64)).Select(_ => WorkAsync(cancellationToken)).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
            _output.TryComplete();
        }
        catch (Exception ex)
        {
            _folders.Writer.TryComplete();
            _output.TryComplete(ex);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        await foreach (var folder in _folders.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            List<DirectoryEntry>? entries = null;
            try
            {
                entries = await _source.ListAsync(folder.Path, cancellationToken).ConfigureAwait(false);
            }
            catch (FileSourceException ex)
            {
                Report(ex, folder.Path);
            }

            await HandleListingAsync(folder, entries ?? [], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleListingAsync(Folder folder, List<DirectoryEntry> entries, CancellationToken cancellationToken)
    {
        long files = 0;
        var ancestry = folder.Ancestry;
        if (entries.Find(e => e.IsSelf) is { HasFileId: true } self)
        {
            // The folder's own ID, from its "." entry: the root's ID is known only from there, and a link may show an ID
            // of its own in its parent's listing (the check there then missed it) but its target's here.
            if (ancestry?.Parent?.Contains(self.FileId) == true)
            {
                entries = [];
            }
            else if (ancestry is null || !ancestry.HasFileId)
            {
                ancestry = new Ancestry(self.FileId, ancestry?.Parent);
            }
        }

        foreach (var entry in entries)
        {
            if (entry.IsSelf)
            {
                continue;
            }

            if (_options.SkipHidden && (entry.Name.StartsWith('.') || (entry.Attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0))
            {
                continue;
            }

            var path = folder.Path.Length == 0 ? entry.Name : folder.Path + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                // A folder that is one of its own ancestors (a link the server follows) would be walked for ever.
                var isLoop = entry.HasFileId && ancestry?.Contains(entry.FileId) == true;
                if (!isLoop && (_options.ShouldEnterDirectory?.Invoke(path) ?? true))
                {
                    Interlocked.Increment(ref _outstanding);
                    _folders.Writer.TryWrite(new Folder(path, new Ancestry(entry.HasFileId ? entry.FileId : 0, ancestry)));
                }

                continue;
            }

            if (entry.EndOfFile < 0)
            {
                Report(new FileSourceException(ErrorCategory.FileSystem, ErrorCodes.FileUnreadable, "The server reported a negative file size.", path), path);
                continue;
            }

            await _output.WriteAsync(new FileEntry(path, entry.EndOfFile, Wire.FileTime(entry.LastWriteTime)), cancellationToken).ConfigureAwait(false);
            files++;
        }

        _source.CountListed((int)files);
        var listed = Interlocked.Increment(ref _foldersListed);
        var seen = Interlocked.Add(ref _filesSeen, files);
        _options.OnProgress?.Invoke(new EnumerationProgress(listed, seen));
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _folders.Writer.TryComplete();
        }
    }

    /// <summary>A folder to list: its path below the root, and the IDs of it and its ancestors (null for the root).</summary>
    private readonly record struct Folder(string Path, Ancestry? Ancestry);

    /// <summary>A folder's file ID (0 when the server gave none) and its parent's chain, shared by all its subfolders.</summary>
    private sealed record Ancestry(ulong FileId, Ancestry? Parent)
    {
        public bool HasFileId => FileId != 0;

        public bool Contains(ulong fileId)
        {
            for (var a = this; a is not null; a = a.Parent)
            {
                if (a.FileId == fileId)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private void Report(FileSourceException exception, string path)
    {
        var code = exception.Code is ErrorCodes.FileVanished or ErrorCodes.AccessDenied ? exception.Code : ErrorCodes.FolderUnreadable;
        _options.OnError?.Invoke(new ErrorReport(exception.Category, code, exception.Message, SmbErrors.Suggest(exception), path, _time.GetUtcNow(), 0, exception.IsTransient));
    }
}
