using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with nanosleep and a 1 ns timer slack (Linux), so that the proxy
/// holds a chunk for its delay without spinning: its CPU then goes to the client and smbd, as with a real network.
/// (Thread.Sleep has millisecond steps here; the earlier yield loop for the last 1.5 ms kept the proxy on a core.)
/// </summary>
internal static partial class PreciseSleep
{
    private const int PrSetTimerSlack = 29;

    /// <summary>For the calling thread: wake-ups as close to the asked time as the kernel can (default slack 50 µs).</summary>
    public static void UseFineTimerSlack() => _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);

    public static void Until(long dueTimestamp)
    {
        while (true)
        {
            var remaining = dueTimestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var nanoseconds = (long)(remaining * (1e9 / Stopwatch.Frequency));
            var request = new Timespec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
            _ = NanoSleep(in request, IntPtr.Zero);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
