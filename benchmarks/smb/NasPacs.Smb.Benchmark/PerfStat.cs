using System.Diagnostics;
using System.Globalization;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// <c>perf stat</c> attached to this process (all its threads) for the measured interval, when SMB_BENCH_PERF=1:
/// the kernel's count of CPU time, context switches and system calls (all, and socket sends, receives and futex
/// waits), printed per file. Needs perf and root (or a permissive perf_event_paranoid).
/// </summary>
internal sealed class PerfStat
{
    private static readonly string[] Events =
    [
        "task-clock", "context-switches", "cpu-migrations", "raw_syscalls:sys_enter",
        "syscalls:sys_enter_sendto", "syscalls:sys_enter_sendmsg", "syscalls:sys_enter_recvfrom", "syscalls:sys_enter_recvmsg",
        "syscalls:sys_enter_read", "syscalls:sys_enter_futex", "syscalls:sys_enter_sched_yield",
    ];

    private readonly Process _perf;

    private PerfStat(Process perf) => _perf = perf;

    public static PerfStat? StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("SMB_BENCH_PERF") != "1")
        {
            return null;
        }

        var start = new ProcessStartInfo("perf") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["stat", "-x", ",", "-e", string.Join(',', Events), "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        var perf = Process.Start(start)!;
        Thread.Sleep(300); // perf attaches to every thread before it counts.
        return new PerfStat(perf);
    }

    /// <summary>Stops counting (SIGINT, as perf expects) and returns "event per file" pairs.</summary>
    public string StopPerFile(int files)
    {
        using (var kill = Process.Start("kill", ["-INT", _perf.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        var output = _perf.StandardError.ReadToEnd();
        _perf.WaitForExit();
        var parts = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            var cells = line.Split(',');
            if (cells.Length > 2 && double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                var name = cells[2].Replace("syscalls:sys_enter_", string.Empty, StringComparison.Ordinal).Replace("raw_syscalls:sys_enter", "syscalls", StringComparison.Ordinal);
                parts.Add(name == "task-clock"
                    ? string.Create(CultureInfo.InvariantCulture, $"perf task-clock {value * 1000 / files:0} µs")
                    : string.Create(CultureInfo.InvariantCulture, $"{name} {value / files:0.00}"));
            }
        }

        return "perf per file: " + string.Join(", ", parts);
    }
}
