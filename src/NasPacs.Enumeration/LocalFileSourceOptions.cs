namespace NasPacs.Enumeration;

/// <summary>How a local, mounted or UNC folder is listed and read.</summary>
public sealed class LocalFileSourceOptions
{
    /// <summary>
    /// Bytes the operating system fills per directory-listing call. Default 64 KiB; 4 KiB to 1 MiB. A large buffer
    /// means fewer round trips on a remote share (Windows asks the SMB server for this much per QUERY_DIRECTORY);
    /// Linux ignores it for local disks.
    /// </summary>
    public int ListingBufferSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Follow symbolic links and junctions to folders. Default <see langword="true"/>. A link whose target is inside
    /// the root (walked anyway), is an ancestor of the link (a loop), or was already followed, is skipped.
    /// </summary>
    public bool FollowDirectoryLinks { get; set; } = true;

    /// <summary>Attempts to list a folder or read a file when the failure may be transient. Default 3; 1 to 10.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry, doubled each time with jitter. Default 200 ms; 0 to 30 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
