using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// <c>ppoll</c> with a nanosecond timeout and a 1 ns timer slack (Linux), so that the proxy wakes when a chunk is due
/// without spinning (Socket.Poll rounds to milliseconds; Thread.Sleep has millisecond steps here).
/// </summary>
internal static unsafe partial class LinuxPoll
{
    public const short In = 0x001;
    public const short Out = 0x004;
    public const short Error = 0x008;
    public const short Hangup = 0x010;

    private const int PrSetTimerSlack = 29;

    /// <summary>For the calling thread: wake-ups as close to the asked time as the kernel can (default slack 50 µs).</summary>
    public static void UseFineTimerSlack() => _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);

    /// <summary>Waits until one of <paramref name="polls"/> is ready or <paramref name="nanoseconds"/> have passed.</summary>
    public static void Wait(Span<PollFd> polls, long nanoseconds)
    {
        var timeout = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        fixed (PollFd* p = polls)
        {
            // EINTR or a timeout: the caller looks at the clock and the returned events either way.
            _ = Ppoll(p, (nuint)polls.Length, &timeout, IntPtr.Zero);
        }
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd(Socket socket, short events)
    {
        public int Descriptor = (int)socket.SafeHandle.DangerousGetHandle();
        public short Events = events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "ppoll", SetLastError = true)]
    private static partial int Ppoll(PollFd* fds, nuint count, Timespec* timeout, IntPtr signalMask);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
