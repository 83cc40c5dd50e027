namespace NasPacs.Abstractions.Files;

/// <summary>
/// A tree of files that NasPacs can index, share and push: a local or mounted folder, a UNC path,
/// or a share reached by NasPacs's own SMB client. Every path it takes and gives is relative to its root
/// and uses <c>/</c> as separator.
/// </summary>
/// <remarks>
/// Implementations are thread-safe: the indexer reads prefixes from many workers at once while the
/// enumeration is still running. Nothing here returns a full listing in memory.
/// </remarks>
public interface IFileSource : IAsyncDisposable
{
    /// <summary>A name to show people and logs (for example <c>smb://nas/share/dicom</c>); never contains credentials.</summary>
    string DisplayName { get; }

    /// <summary>
    /// Streams every file below the root. Folders that cannot be read are reported through
    /// <see cref="FileEnumerationOptions.OnError"/> and skipped; the walk goes on.
    /// </summary>
    IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the file from offset 0 into <paramref name="destination"/>, as much as fits.
    /// Returns the number of bytes read, which is smaller than the destination only at the end of the file.
    /// </summary>
    /// <exception cref="FileSourceException">The file could not be read; <see cref="FileSourceException.IsTransient"/> tells whether a retry may help.</exception>
    ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>Opens the whole file as a forward-only stream (share zips, Orthanc pushes).</summary>
    /// <exception cref="FileSourceException">The file could not be opened.</exception>
    ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default);

    /// <summary>Returns the file's current size and time, or <see langword="null"/> when it no longer exists.</summary>
    ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default);
}
