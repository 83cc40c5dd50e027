using System.Diagnostics;
using System.Globalization;
using NasPacs.Abstractions.Files;
using NasPacs.Smb;
using NasPacs.Smb.Benchmark;

// Usage: NasPacs.Smb.Benchmark <smbd port> <user> <password> <delays ms, comma separated> [headers files for the baseline]
//        NasPacs.Smb.Benchmark proxy <smbd port> <delay ms>   (the latency proxy alone; started by the benchmark itself)
if (args[0] == "proxy")
{
    await ProxyProcess.ServeAsync(args);
    return;
}

var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var user = args[1];
var password = args[2];
var delays = args[3].Split(',').Select(d => double.Parse(d, CultureInfo.InvariantCulture)).ToArray();
var baselineFiles = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
var inFlight = int.TryParse(Environment.GetEnvironmentVariable("SMB_BENCH_IN_FLIGHT"), CultureInfo.InvariantCulture, out var f) ? f : 64;
// SMB_BENCH_MIN_IN_FLIGHT: the adaptive limit's floor (the product's default, 32, unless set; equal to the callers it
// fixes the limit), to see whether more in flight lowers the CPU per file of a CPU-bound run.
var minInFlight = int.TryParse(Environment.GetEnvironmentVariable("SMB_BENCH_MIN_IN_FLIGHT"), CultureInfo.InvariantCulture, out var m) ? m : new SmbOptions().MinRequestsInFlight;
var poolSize = int.TryParse(Environment.GetEnvironmentVariable("SMB_BENCH_POOL"), CultureInfo.InvariantCulture, out var p) ? p : 2;
var skipSmbclient = Environment.GetEnvironmentVariable("SMB_BENCH_SKIP_SMBCLIENT") == "1";

// SMB_BENCH_ENCRYPT=0: sign instead of encrypt (the client encrypts by default when the server offers it), to see what
// encryption costs the client and smbd.
var encrypt = Environment.GetEnvironmentVariable("SMB_BENCH_ENCRYPT") != "0";

// SMB_BENCH_INDEX_SHARE: also index that share (DICOM files) with the indexer of issue #3, first and again, with
// SMB_BENCH_INDEX_WORKERS header readers (comma separated for several; default 8, the product's default, and 64) and
// SMB_BENCH_INDEX_FOLDERS folders listed at once (default 16; several are combined with each number of readers).
var indexShare = Environment.GetEnvironmentVariable("SMB_BENCH_INDEX_SHARE");
var indexWorkers = (Environment.GetEnvironmentVariable("SMB_BENCH_INDEX_WORKERS") ?? "8,64").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
var indexFolders = (Environment.GetEnvironmentVariable("SMB_BENCH_INDEX_FOLDERS") ?? "16").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
var onlyIndex = Environment.GetEnvironmentVariable("SMB_BENCH_ONLY_INDEX") == "1";

Console.WriteLine("| D (ms each way) | measured RTT (ms) | operation | tool | files | seconds | files/s | load (1 min) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var delay in delays)
{
    // D = 0 connects straight to smbd: the CPU per file is then the client's alone, without the proxy's.
    // The proxy runs in its own process, so that the CPU per file below is the client's alone and the proxy's is
    // reported beside it (in one process, the two were one number).
    using var proxy = delay > 0 ? ProxyProcess.Start(port, delay) : null;
    var smbPort = proxy?.Port ?? port;
    var options = new SmbOptions { Host = "127.0.0.1", Port = smbPort, Share = "share", User = user, Password = password, MaxRequestsInFlight = inFlight, MinRequestsInFlight = Math.Min(minInFlight, inFlight), PoolSize = poolSize, EncryptWhenOffered = encrypt };
    if (indexShare is not null)
    {
        // Untimed, once per process: the indexer's code runs at tier 1 in every measured run, whichever comes first.
        _ = await IndexRuns.RunAsync(OnShare(options, indexShare), indexWorkers[0], indexFolders[0]);
        foreach (var (workers, folders) in indexWorkers.SelectMany(w => indexFolders.Select(d => (w, d))))
        {
            var (first, again, listing) = await IndexRuns.RunAsync(OnShare(options, indexShare), workers, folders);
            var tool = $"naspacs indexer, {workers} header readers, {folders} folders listed at once";
            Row(delay, double.NaN, "index, first (fresh database)", $"{tool} ({first.Status.SeriesCount} series, {first.Status.Errors} errors)", (int)first.Status.FilesProcessed, first.Elapsed);
            Row(delay, double.NaN, "index, again (nothing changed)", $"{tool} ({again.Status.UnchangedFiles} unchanged, {again.Status.BytesRead} bytes read)", (int)again.Status.FilesProcessed, again.Elapsed);
            Row(delay, double.NaN, "listing alone (re-index floor)", $"NasPacs.Smb, new connection, {folders} folders listed at once", (int)again.Status.FilesProcessed, listing);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first ÷ again, {workers} readers, {folders} folders, D = {delay} ms: {first.Elapsed / again.Elapsed:0.0}×"));
        }
    }

    if (onlyIndex)
    {
        continue;
    }

    await using var source = new SmbFileSourceFactory().Create(options);

    // Warm up: connect both pooled connections, measure the round trip with one small read at a time.
    var entries = new List<FileEntry>();
    await foreach (var e in source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 16 }))
    {
        entries.Add(e);
    }

    // One CREATE + CLOSE compound is one round trip; the median of 50 resists scheduling hiccups.
    var samples = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        var one = Stopwatch.StartNew();
        await source.GetEntryAsync(entries[i].RelativePath);
        samples.Add(one.Elapsed.TotalMilliseconds);
    }

    samples.Sort();
    var rtt = samples[samples.Count / 2];

    var listWatch = Stopwatch.StartNew();
    var listed = 0;
    await foreach (var _ in source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 16 }))
    {
        listed++;
    }

    listWatch.Stop();
    Row(delay, rtt, "listing", "NasPacs.Smb (16 folders at once)", listed, listWatch.Elapsed);

    // The same header reads over the warm-up share first (SMB_BENCH_WARMUP=0: none): the measured pass then runs the
    // read path at tier 1, as a 100k-file indexing run does for all but its first moments, and the tiered JIT's
    // compilation does not count as client CPU per file. Its files are not the measured ones.
    if (Environment.GetEnvironmentVariable("SMB_BENCH_WARMUP") != "0")
    {
        await WarmUpAsync(options, inFlight);
    }

    var perf = PerfStat.StartIfAsked();
    var before = Counters.Take(proxy);
    using var limits = new LimitSampler(source);
    var readWatch = Stopwatch.StartNew();
    await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (e, ct) =>
    {
        // Pooled, so that the bytes allocated per file are the client's, not the harness's.
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
        await source.ReadPrefixAsync(e.RelativePath, buffer.AsMemory(0, 8192), ct);
        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    });
    readWatch.Stop();
    var (peak, mean) = limits.Stop();
    var perfPerFile = perf?.StopPerFile(entries.Count);
    var per = Counters.Take(proxy).PerFile(before, entries.Count);
    var adapted = SmbFileSourceFactory.MetricsOf(source)!.MaxRequestsInFlight;
    Row(delay, rtt, "header reads (8 KB prefix)", $"NasPacs.Smb ({inFlight} callers, adaptive limit now {adapted}, peak {peak}, mean {mean:0}, {poolSize} connections; {per}{(perfPerFile is null ? string.Empty : "; " + perfPerFile)})", entries.Count, readWatch.Elapsed);

    // The issue's floor: files × RTT ÷ requests in flight, with the configured maximum (the callers), not the lower
    // limit the client adapted to (which would make the floor higher and the ratio look better).
    var floor = TimeSpan.FromMilliseconds(entries.Count * rtt / inFlight);
    Row(delay, rtt, "header reads floor", $"files × RTT ÷ {inFlight} in flight", entries.Count, floor);

    var oneWatch = Stopwatch.StartNew();
    foreach (var e in entries.Take(baselineFiles))
    {
        var buffer = new byte[8192];
        await source.ReadPrefixAsync(e.RelativePath, buffer);
    }

    oneWatch.Stop();
    Row(delay, rtt, "header reads", "NasPacs.Smb one at a time (compounded, 1 RTT/file)", baselineFiles, oneWatch.Elapsed);

    if (skipSmbclient)
    {
        continue;
    }

    var authFile = Path.GetTempFileName();
    await File.WriteAllTextAsync(authFile, $"username = {user}\npassword = {password}\n");
    try
    {
        var smbList = Smbclient(smbPort, authFile, "recurse; ls", null);
        Row(delay, rtt, "listing", "smbclient 'recurse; ls'", listed, smbList);

        var folder = entries.Take(baselineFiles).Select(e => e.RelativePath).ToList();
        var target = Directory.CreateTempSubdirectory("smb-mget");
        var commands = string.Join("; ", folder.Select(f => $"get \"{f.Replace('/', '\\')}\" \"{Path.Combine(target.FullName, f.Replace('/', '_'))}\""));
        var mget = Smbclient(smbPort, authFile, commands, null);
        Row(delay, rtt, "whole-file reads", "smbclient get, one at a time", folder.Count, mget);
        target.Delete(recursive: true);
    }
    finally
    {
        File.Delete(authFile);
    }
}

static async Task WarmUpAsync(SmbOptions measured, int inFlight)
{
    await using var warm = new SmbFileSourceFactory().Create(OnShare(measured, "warmup"));
    var files = new List<FileEntry>();
    await foreach (var e in warm.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = 16 }))
    {
        files.Add(e);
    }

    for (var pass = 0; pass < 2; pass++)
    {
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = inFlight }, async (e, ct) =>
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(8192);
            await warm.ReadPrefixAsync(e.RelativePath, buffer.AsMemory(0, 8192), ct);
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        });
    }
}

// The same connection settings for another share of the same server.
static SmbOptions OnShare(SmbOptions measured, string share) => new()
{
    Host = measured.Host, Port = measured.Port, Share = share, User = measured.User, Password = measured.Password, MaxRequestsInFlight = measured.MaxRequestsInFlight,
    MinRequestsInFlight = measured.MinRequestsInFlight, PoolSize = measured.PoolSize, EncryptWhenOffered = measured.EncryptWhenOffered,
};

static void Row(double delay, double rtt, string operation, string tool, int files, TimeSpan elapsed) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {delay} | {rtt:0.00} | {operation} | {tool} | {files} | {elapsed.TotalSeconds:0.000} | {files / elapsed.TotalSeconds:0} | {File.ReadAllText("/proc/loadavg").Split(' ')[0]} |"));

static TimeSpan Smbclient(int port, string authFile, string commands, string? directory)
{
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(new ProcessStartInfo("smbclient", ["//127.0.0.1/share", "-p", port.ToString(CultureInfo.InvariantCulture), "-A", authFile, "-c", commands])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        WorkingDirectory = directory ?? Environment.CurrentDirectory,
    })!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    watch.Stop();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException("smbclient failed: " + stderr.Result);
    }

    _ = stdout.Result;
    return watch.Elapsed;
}
