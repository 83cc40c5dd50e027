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
                BufferSize = 64 * 1024,
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            });
            return ValueTask.FromResult(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.FromException(ex, relativePath);
        }
    }
}
