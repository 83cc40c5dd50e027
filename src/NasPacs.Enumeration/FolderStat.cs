using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace NasPacs.Enumeration;

/// <summary>
/// Size and last write time of the entries of one open folder, asked by name (<c>statx(dirfd, name)</c>), on Linux.
/// </summary>
/// <remarks>
/// .NET's listing stats each file with <c>lstat(full path)</c>, and the kernel resolves every component of that path
/// again for every file: <c>lstat</c> was a third of the CPU of a re-index of 1,000,000 files, much of it the path walk
/// (perf, <c>__d_lookup_rcu</c> and friends). Relative to an open folder only the name is looked up. The flags are those
/// of <c>lstat</c> (links not followed) and the time is converted as .NET converts it, so the values are the ones earlier
/// runs stored. Anything unexpected (another OS or architecture, no <c>statx</c> in the C library, a failed call, an odd
/// time) answers <see langword="false"/> and the caller asks .NET as before.
/// </remarks>
internal sealed partial class FolderStat : IDisposable
{
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const uint StatxMtime = 0x40;
    private const int FileTypeMask = 0xF000; // S_IFMT
    private const long MinUnixSeconds = -62_135_596_800; // 0001-01-01, the range DateTimeOffset accepts
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31 23:59:59

    // O_RDONLY | O_NONBLOCK | O_CLOEXEC, the same values on x86-64 and arm64. Non-blocking: should a folder have been
    // swapped for a FIFO since it was listed, open must not wait for a writer (statx on it then fails and .NET answers).
    private const int OpenFlags = 0x800 | 0x80000;

    private static volatile bool s_unavailable = !OperatingSystem.IsLinux() || !(RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64);

    private int _fd;

    private FolderStat(int fd) => _fd = fd;

    /// <summary>Opens a folder for stat-by-name, or returns <see langword="null"/> when that is not possible here.</summary>
    public static FolderStat? TryOpen(string folderPath)
    {
        if (s_unavailable)
        {
            return null;
        }

        try
        {
            // open, not opendir: opendir mallocs a 32 KiB buffer per folder that nothing here reads, and glibc gave that
            // memory back and asked for it again folder after folder (sysmalloc, page faults; perf).
            var length = Encoding.UTF8.GetByteCount(folderPath);
            Span<byte> path = length < 1024 ? stackalloc byte[length + 1] : new byte[length + 1];
            path[Encoding.UTF8.GetBytes(folderPath, path)] = 0;
            var fd = UnixFile.Open(ref path[0], OpenFlags);
            return fd < 0 ? null : new FolderStat(fd);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return null;
        }
    }

    /// <summary>
    /// The size and last write time (UTC) that <c>lstat</c> gives for <paramref name="name"/> in this folder, and whether
    /// it is a special file (<see cref="IsSpecialFile"/>), which the walk leaves out.
    /// </summary>
    public bool TryGet(ReadOnlySpan<char> name, out long size, out DateTimeOffset lastWriteTimeUtc, out bool special)
    {
        size = 0;
        lastWriteTimeUtc = default;
        special = false;
        if (name.Length > 255 || name.Contains('\0'))
        {
            return false;
        }

        Span<byte> path = stackalloc byte[256 * 3 + 1];
        var length = Encoding.UTF8.GetBytes(name, path);
        path[length] = 0;
        var nameZ = path[..(length + 1)];
        if (!TryStat(nameZ, followLinks: false, out var entry))
        {
            return false;
        }

        special = IsSpecialFile(nameZ, entry);
        if (!entry.HasValues)
        {
            return false;
        }

        size = entry.Size;
        lastWriteTimeUtc = entry.LastWriteTimeUtc;
        return true;
    }

    /// <summary>
    /// Whether the entry <paramref name="nameZ"/>, whose own <c>lstat</c> is <paramref name="own"/>, is a FIFO, a socket or
    /// a device, or a link to one. No header read may open such a file: opening a FIFO waits for a writer, for ever on a
    /// share nobody writes to, and a device is not an image. A link whose target cannot be asked is not special: its read
    /// reports why.
    /// </summary>
    public bool IsSpecialFile(ReadOnlySpan<byte> nameZ, in EntryStat own)
        => own.IsLink ? TryStat(nameZ, followLinks: true, out var target) && target.IsSpecial : own.IsSpecial;

    /// <summary>
    /// <c>statx</c> of the entry <paramref name="nameZ"/> (UTF-8, ending in a NUL byte) in this folder: like <c>lstat</c>,
    /// or like <c>stat</c> when <paramref name="followLinks"/>. <see langword="false"/> when the call fails.
    /// </summary>
    [SkipLocalsInit] // the 256-byte statx buffer is read only where the kernel filled it (the mask says which)
    public unsafe bool TryStat(ReadOnlySpan<byte> nameZ, bool followLinks, out EntryStat entry)
    {
        entry = default;
        var fd = s_unavailable ? -1 : _fd;
        if (fd < 0 || nameZ.IsEmpty || nameZ[^1] != 0)
        {
            return false;
        }

        StatxBuffer buffer;
        int result;
        try
        {
            fixed (byte* p = nameZ)
            {
                result = Statx(fd, p, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxSize | StatxMtime, &buffer);
            }
        }
        catch (EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }

        if (result != 0 || (buffer.Mask & StatxType) == 0)
        {
            return false;
        }

        var type = buffer.Mode & FileTypeMask;
        if ((buffer.Mask & (StatxSize | StatxMtime)) != (StatxSize | StatxMtime)
            || buffer.MtimeSeconds is < MinUnixSeconds or > MaxUnixSeconds
            || buffer.MtimeNanoseconds >= 1_000_000_000)
        {
            entry = new EntryStat(type, false, 0, default);
            return true;
        }

        // As .NET: FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100).
        entry = new EntryStat(type, true, (long)buffer.Size, DateTimeOffset.FromUnixTimeSeconds(buffer.MtimeSeconds).AddTicks(buffer.MtimeNanoseconds / 100));
        return true;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = UnixFile.Close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx")]
    private static unsafe partial int Statx(int dirfd, byte* path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary><c>struct statx</c> (linux/stat.h): the same layout on every architecture, 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(112)]
        public long MtimeSeconds;

        [FieldOffset(120)]
        public uint MtimeNanoseconds;
    }
}

/// <summary>What <c>statx</c> said of one entry of an open folder.</summary>
/// <param name="FileType">The type bits of the mode (<c>S_IFMT</c>).</param>
/// <param name="HasValues">Whether size and time were given and the time is one .NET can hold; if not, .NET is asked.</param>
/// <param name="Size">Bytes.</param>
/// <param name="LastWriteTimeUtc">Last write time, converted as .NET converts it.</param>
internal readonly record struct EntryStat(int FileType, bool HasValues, long Size, DateTimeOffset LastWriteTimeUtc)
{
    public bool IsDirectory => FileType == 0x4000; // S_IFDIR

    public bool IsLink => FileType == 0xA000; // S_IFLNK

    /// <summary>A FIFO, character device, block device or socket (<c>S_IFIFO</c>, <c>S_IFCHR</c>, <c>S_IFBLK</c>, <c>S_IFSOCK</c>).</summary>
    public bool IsSpecial => FileType is 0x1000 or 0x2000 or 0x6000 or 0xC000;
}
