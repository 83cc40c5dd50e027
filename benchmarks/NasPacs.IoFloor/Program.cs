using System.Diagnostics;
using System.Globalization;
using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

// The I/O floor of issue #3: no header reader can index a file faster than it can open it, read its first
// bytes and close it. Walks the tree with the same candidate filter as the indexers (.dcm, .dicom, .ima or
// no extension), then open + one read of --bytes + close per file on --threads threads.
//
//   naspacs-iofloor <folder> [--threads 8] [--bytes 8192]
//   naspacs-iofloor <folder> --walk-only
// (the re-index floor: the walk with each file's size and modification time, no file opened).
// Prints one JSON line: files, bytes read, seconds, files per second.
var options = FloorOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: naspacs-iofloor <folder> [--threads N>=1] [--bytes N>=1] [--walk-only]");
    return 2;
}

var stopwatch = Stopwatch.StartNew();
long files = 0;
long bytes = 0;
long failures = 0;
if (options.WalkOnly)
{
    long checksum = 0;
    foreach (var (length, modified) in Candidates.EnumerateStamps(options.Root))
    {
        files++;
        checksum ^= length ^ modified; // keep the values alive, as a change check would
    }

    stopwatch.Stop();
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"files\": {files}, \"walk_only\": true, \"checksum\": {checksum}, \"seconds\": {stopwatch.Elapsed.TotalSeconds:F3}, \"files_per_second\": {files / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-9):F0}}}"));
    return 0;
}

Parallel.ForEach(
    Candidates.Enumerate(options.Root),
    new ParallelOptions { MaxDegreeOfParallelism = options.Threads },
    () => new byte[options.Bytes],
    (path, _, buffer) =>
    {
        try
        {
            int read = OperatingSystem.IsLinux() ? UnixFile.ReadPrefix(path, buffer) : ManagedReadPrefix(path, buffer);
            Interlocked.Add(ref bytes, read);
            Interlocked.Increment(ref files);
        }
        catch (IOException)
        {
            Interlocked.Increment(ref failures);
        }
        catch (UnauthorizedAccessException)
        {
            Interlocked.Increment(ref failures);
        }

        return buffer;
    },
    _ => { });
stopwatch.Stop();

double seconds = stopwatch.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"{{\"files\": {files}, \"failures\": {failures}, \"bytes_read\": {bytes}, \"threads\": {options.Threads}, \"seconds\": {seconds:F3}, \"files_per_second\": {files / Math.Max(seconds, 1e-9):F0}}}"));
return failures == 0 ? 0 : 1;

static int ManagedReadPrefix(string path, byte[] buffer)
{
    using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    return RandomAccess.Read(handle, buffer, 0);
}

/// <summary>Command-line options of the floor program.</summary>
internal sealed record FloorOptions(string Root, int Threads, int Bytes, bool WalkOnly)
{
    public static FloorOptions? Parse(string[] args)
    {
        string? root = null;
        int threads = 8;
        int bytes = 8192;
        bool walkOnly = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--walk-only":
                    walkOnly = true;
                    break;
                case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out threads):
                case "--bytes" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out bytes):
                    i++;
                    break;
                default:
                    if (root is not null || args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        return null;
                    }

                    root = args[i];
                    break;
            }
        }

        return root is null || threads < 1 || bytes < 1 || !Directory.Exists(root) ? null : new FloorOptions(root, threads, bytes, walkOnly);
    }
}

/// <summary>The candidate walk: every file whose extension is .dcm, .dicom, .ima (any case) or empty.</summary>
internal static class Candidates
{
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.None,
    };

    public static IEnumerable<string> Enumerate(string root) =>
        Directory.EnumerateFiles(root, "*", Walk).Where(path => IsCandidate(path));

    /// <summary>Size and modification time (ticks) of every candidate, as a (path, size, mtime) change check needs.</summary>
    public static IEnumerable<(long Length, long Modified)> EnumerateStamps(string root) =>
        new FileSystemEnumerable<(long, long)?>(
            root,
            (ref FileSystemEntry entry) => IsCandidate(entry.FileName)
                ? (entry.Length, entry.LastWriteTimeUtc.UtcTicks)
                : null,
            Walk)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
        }.Where(stamp => stamp.HasValue).Select(stamp => stamp!.Value);

    private static bool IsCandidate(ReadOnlySpan<char> path)
    {
        ReadOnlySpan<char> extension = Path.GetExtension(path);
        return extension.IsEmpty
            || extension.Equals(".dcm", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".dicom", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".ima", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The floor's read on Linux: the three system calls and nothing else, as NasPacs's own header read does since session 4
/// (.NET's <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> adds an fstat and a
/// finalizable handle per file, which a floor must not carry when the indexer does not).
/// </summary>
internal static class UnixFile
{
    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    public static int ReadPrefix(string path, byte[] buffer)
    {
        Span<byte> utf8 = stackalloc byte[4096]; // PATH_MAX
        utf8[System.Text.Encoding.UTF8.GetBytes(path, utf8[..^1])] = 0;
        var fd = Open(ref utf8[0], ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"open failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        }

        try
        {
            var read = PRead(fd, ref buffer[0], (nuint)buffer.Length, 0);
            return read < 0 ? throw new IOException($"pread failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}") : (int)read;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(ref byte path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static extern nint PRead(int fd, ref byte buffer, nuint count, long offset);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
