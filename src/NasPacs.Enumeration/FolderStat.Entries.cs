using System.Runtime.InteropServices;

namespace NasPacs.Enumeration;

/// <summary>The entries of the open folder, read with <c>getdents64</c> on the descriptor the stats use.</summary>
/// <remarks>
/// .NET lists a folder through <c>opendir</c>, a second descriptor next to the one opened here, and then asks
/// <c>lstat</c> of every subfolder for its attributes. Reading the records on this descriptor costs one open per folder.
/// </remarks>
internal sealed partial class FolderStat
{
    /// <summary>Offsets in <c>struct linux_dirent64</c> (the same on every architecture).</summary>
    internal const int RecordLengthOffset = 16, TypeOffset = 18, NameOffset = 19;

    /// <summary>Fills <paramref name="buffer"/> with <c>linux_dirent64</c> records.</summary>
    /// <returns>The bytes filled, 0 after the last record, or minus the <c>errno</c> of a failure.</returns>
    public unsafe int ReadEntries(Span<byte> buffer)
    {
        var fd = s_unavailable ? -1 : _fd;
        if (fd < 0)
        {
            return -EBadF;
        }

        nint read;
        try
        {
            fixed (byte* p = buffer)
            {
                read = GetDents64(fd, p, (nuint)buffer.Length);
            }
        }
        catch (EntryPointNotFoundException)
        {
            // getdents64 came to glibc in 2.30; without it the walk lists as .NET does.
            s_entriesUnavailable = true;
            return -EBadF;
        }

        return read >= 0 ? (int)read : -Marshal.GetLastPInvokeError();
    }

    /// <summary>Whether <see cref="ReadEntries"/> can work here at all.</summary>
    public static bool CanReadEntries => !s_unavailable && !s_entriesUnavailable;

    private const int EBadF = 9;

    private static volatile bool s_entriesUnavailable;

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static unsafe partial nint GetDents64(int fd, byte* buffer, nuint count);
}
