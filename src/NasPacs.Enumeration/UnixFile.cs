using System.Runtime.InteropServices;

namespace NasPacs.Enumeration;

/// <summary>
/// The libc calls that open, read and close files and folders on Linux, declared once for the header read
/// (<see cref="LocalFileSource"/>) and the walk (<see cref="FolderStat"/>). Blittable arguments only: no marshalling, no
/// unsafe code; a path is passed as its null-terminated UTF-8 bytes.
/// </summary>
internal static class UnixFile
{
    /// <summary>
    /// O_RDONLY | O_NONBLOCK | O_CLOEXEC (0x800 and 0x80000 on every Linux architecture .NET runs on). Non-blocking has no
    /// effect on a regular file; should a FIFO stand where the walk saw a file, open does not wait for a writer, and
    /// pread fails with <see cref="ESPipe"/>.
    /// </summary>
    public const int ReadOnlyNonBlockingCloseOnExec = 0x800 | 0x80000;

    /// <summary>The <c>errno</c> of a positional read of a pipe, FIFO or socket.</summary>
    public const int ESPipe = 29;

    [DllImport("libc", EntryPoint = "open")]
    public static extern int Open(ref byte path, int flags);

    [DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    public static extern nint PRead(int fd, ref byte buffer, nuint count, long offset);

    [DllImport("libc", EntryPoint = "close")]
    public static extern int Close(int fd);
}
