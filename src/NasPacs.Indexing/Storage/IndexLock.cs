using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// The exclusive lock a run holds on <c>&lt;index&gt;.lock</c>: a second run on the same index is refused. The OS drops
/// it when the process dies, so kill -9 never leaves the index locked.
/// </summary>
/// <remarks>
/// On Unix this is a real <c>flock(LOCK_EX)</c>, not .NET's <c>FileShare.None</c>: .NET emulates <c>FileShare</c> with
/// advisory locks that the CLI turns off (<c>System.IO.DisableFileLocking</c>) because they cost two system calls per
/// header read. A <c>flock</c> belongs to the open file, so two runs in one process exclude each other too.
/// </remarks>
internal sealed partial class IndexLock : IDisposable
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int WouldBlock = 11; // EWOULDBLOCK on Linux; EAGAIN has the same value.
    private const int WouldBlockBsd = 35; // EWOULDBLOCK on macOS and the BSDs.

    private readonly SafeFileHandle _handle;

    private IndexLock(SafeFileHandle handle) => _handle = handle;

    /// <summary>Takes the lock, or returns <see langword="null"/> when another run holds it.</summary>
    /// <exception cref="IOException">The lock file cannot be created or locked for another reason.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static IndexLock? TryAcquire(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                return new IndexLock(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                return null;
            }
        }

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (IOException) when (File.Exists(path))
        {
            // With .NET's own FileShare locks on, another run's exclusive lock already refuses the open.
            return null;
        }

        try
        {
            if (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0)
            {
                return new IndexLock(handle);
            }

            var error = Marshal.GetLastPInvokeError();
            if (error is WouldBlock or WouldBlockBsd)
            {
                handle.Dispose();
                return null;
            }

            throw new IOException($"The lock file '{path}' could not be locked (errno {error}).");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);
}
