using System.Diagnostics;
using System.Globalization;
using NasPacs.Abstractions.Files;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// What the header reads cost the client process (and the proxy process): CPU, allocation, thread-pool work items,
/// lock contentions and context switches (summed over the threads alive at each reading), the same counters
/// dotnet-counters shows, read in-process so that they cover exactly the measured interval.
/// </summary>
internal readonly record struct Counters(TimeSpan Cpu, TimeSpan ProxyCpu, TimeSpan ServerCpu, long Allocated, long WorkItems, long Contentions, long ContextSwitches)
{
    public static Counters Take(ProxyProcess? proxy) => new(
        Process.GetCurrentProcess().TotalProcessorTime,
        proxy?.Cpu ?? TimeSpan.Zero,
        SmbdCpu(Environment.GetEnvironmentVariable("SMB_BENCH_SMBD_CONF")),
        GC.GetTotalAllocatedBytes(precise: true),
        ThreadPool.CompletedWorkItemCount,
        Monitor.LockContentionCount,
        ContextSwitchesOfThisProcess());

    /// <summary>The difference from <paramref name="before"/> per file, as the benchmark's row prints it.</summary>
    public string PerFile(Counters before, int files) => string.Create(
        CultureInfo.InvariantCulture,
        $"client CPU {(Cpu - before.Cpu).TotalMicroseconds / files:0} µs/file, proxy CPU {(ProxyCpu - before.ProxyCpu).TotalMicroseconds / files:0} µs/file, " +
        $"smbd CPU {(ServerCpu - before.ServerCpu).TotalMicroseconds / files:0} µs/file, " +
        $"{(Allocated - before.Allocated) / files} B allocated/file, {(double)(WorkItems - before.WorkItems) / files:0.00} pool work items/file, " +
        $"{(double)(Contentions - before.Contentions) / files:0.000} lock contentions/file, {(double)(ContextSwitches - before.ContextSwitches) / files:0.00} context switches/file");

    /// <summary>
    /// CPU of the benchmark's smbd and its per-connection children (those whose command line names
    /// <paramref name="config"/>; other smbd instances on the machine are not counted); zero when not given.
    /// </summary>
    private static TimeSpan SmbdCpu(string? config)
    {
        if (string.IsNullOrEmpty(config))
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var process in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!char.IsAsciiDigit(Path.GetFileName(process)[0]) || !File.ReadAllText(Path.Combine(process, "cmdline")).Contains(config, StringComparison.Ordinal))
                {
                    continue;
                }

                // utime and stime are fields 14 and 15, counted after the ")" that ends the command name.
                var stat = File.ReadAllText(Path.Combine(process, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux.
    }

    private static long ContextSwitchesOfThisProcess()
    {
        long total = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return total;
    }
}

/// <summary>Samples the adaptive in-flight limit every 5 ms while the header reads run: its peak and time-weighted mean.</summary>
internal sealed class LimitSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<(int Peak, double Mean)> _sampling;

    public LimitSampler(IFileSource source) => _sampling = Task.Run(() => SampleAsync(source, _stop.Token));

    public (int Peak, double Mean) Stop()
    {
        _stop.Cancel();
        return _sampling.GetAwaiter().GetResult();
    }

    private static async Task<(int Peak, double Mean)> SampleAsync(IFileSource source, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        var peak = 0;
        long sum = 0, count = 0;
        try
        {
            do
            {
                var limit = SmbFileSourceFactory.MetricsOf(source)!.MaxRequestsInFlight;
                peak = Math.Max(peak, limit);
                sum += limit;
                count++;
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }

        return (peak, count == 0 ? 0 : (double)sum / count);
    }

    public void Dispose() => _stop.Dispose();
}
