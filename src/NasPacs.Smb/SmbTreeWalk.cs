using System.Threading.Channels;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>
/// One enumeration: folders listed by several workers at once, files streamed to the caller as each folder
/// completes. A folder that cannot be listed is reported and skipped; the root failing ends the walk with its error.
/// </summary>
internal sealed class SmbTreeWalk
{
    private readonly SmbFileSource _source;
    private readonly FileEnumerationOptions _options;
    private readonly ChannelWriter<FileEntry> _output;
    private readonly TimeProvider _time;
    private readonly Channel<string> _folders = Channel.CreateUnbounded<string>();
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
            await HandleListingAsync(string.Empty, root, cancellationToken).ConfigureAwait(false);
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
                entries = await _source.ListAsync(folder, cancellationToken).ConfigureAwait(false);
            }
            catch (FileSourceException ex)
            {
                Report(ex, folder);
            }

            await HandleListingAsync(folder, entries ?? [], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleListingAsync(string folder, List<DirectoryEntry> entries, CancellationToken cancellationToken)
    {
        long files = 0;
        foreach (var entry in entries)
        {
            if (_options.SkipHidden && (entry.Name.StartsWith('.') || (entry.Attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0))
            {
                continue;
            }

            var path = folder.Length == 0 ? entry.Name : folder + "/" + entry.Name;
            if (entry.IsDirectory)
            {
                if (_options.ShouldEnterDirectory?.Invoke(path) ?? true)
                {
                    Interlocked.Increment(ref _outstanding);
                    _folders.Writer.TryWrite(path);
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

    private void Report(FileSourceException exception, string path)
    {
        var code = exception.Code is ErrorCodes.FileVanished or ErrorCodes.AccessDenied ? exception.Code : ErrorCodes.FolderUnreadable;
        _options.OnError?.Invoke(new ErrorReport(exception.Category, code, exception.Message, SmbErrors.Suggest(exception), path, _time.GetUtcNow(), 0, exception.IsTransient));
    }
}
