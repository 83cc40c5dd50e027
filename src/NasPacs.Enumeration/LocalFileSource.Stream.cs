using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration;

/// <summary>Whole-file reads (share zips, Orthanc pushes), kept apart from the header path they do not share.</summary>
internal sealed partial class LocalFileSource
{
    public ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var full = FullPath(relativePath);
        try
        {
            Stream stream = new FileStream(full, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                // Unbuffered and synchronous: callers read large blocks (the share zip reads 256 KiB straight into the
                // socket's pipe), so a FileStream buffer would only add a copy; and on Linux an "asynchronous" handle runs
                // every read on a thread-pool thread anyway, while a synchronous one lets the caller read in place
                // (its ReadAsync still works, as the same hop).
                BufferSize = 0,
                Options = FileOptions.SequentialScan,
            });
            return ValueTask.FromResult(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.FromException(ex, relativePath);
        }
    }
}
