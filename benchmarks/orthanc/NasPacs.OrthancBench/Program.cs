using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using NasPacs.Indexing;
using NasPacs.OrthancBridge;
using NasPacs.Testing.Orthanc;

// naspacs-orthancbench <corpus folder> [runs=3] [concurrency=4]
// Each run: a fresh Orthanc (own temp storage) for NasPacs and a fresh one for curl, in alternating order.
var corpus = Path.GetFullPath(args[0]);
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var script = Path.Combine(AppContext.BaseDirectory, "curl-upload.sh");

var data = Directory.CreateTempSubdirectory("naspacs-orthancbench-");
await using var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
    .AddNasEnumeration()
    .AddNasIndexing(o => { o.DatabasePath = Path.Combine(data.FullName, "index.db"); o.StatusFilePath = Path.Combine(data.FullName, "status.json"); })
    .BuildServiceProvider();
await using var files = services.GetRequiredService<ILocalFileSourceFactory>().Create(corpus);
await using (var run = await services.GetRequiredService<IIndexer>().StartAsync(files))
{
    var indexed = await run.Completion;
    Console.WriteLine($"Indexed {indexed.FilesProcessed} files, {indexed.SeriesCount} series.");
}

var index = services.GetRequiredService<IIndexQuery>();
var totals = await index.GetTotalsAsync();
var paths = new List<string>();
for (var offset = 0; ; offset += 1000)
{
    var page = await index.SearchSeriesAsync(new SeriesSearch { Page = new PageRequest(offset, 1000) });
    foreach (var s in page.Items)
    {
        var f = await index.GetSeriesFilesAsync(s.SeriesKey, new PageRequest(0, 1000));
        paths.AddRange(f.Items.Select(i => Path.Combine(corpus, i.RelativePath)));
    }

    if (page.Items.Count < 1000)
    {
        break;
    }
}

Console.WriteLine($"{paths.Count} instances, {totals.TotalBytes / 1e6:F1} MB, concurrency {concurrency}, {runs} runs; load {File.ReadAllText("/proc/loadavg").Trim()}");
var results = new List<(int Run, string Tool, double Seconds, int Stored, string Load)>();
for (var r = 1; r <= runs; r++)
{
    var order = r % 2 == 1 ? new[] { "naspacs", "curl" } : ["curl", "naspacs"];
    foreach (var tool in order)
    {
        await using var orthanc = await OrthancServer.StartAsync();
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        var clock = Stopwatch.StartNew();
        if (tool == "curl")
        {
            await CurlAsync(orthanc, paths, concurrency, script);
        }
        else
        {
            await NasPacsAsync(orthanc, new SeriesOrigin("bench", files, index), concurrency);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var stored = await StoredAsync(orthanc);
        results.Add((r, tool, seconds, stored, load));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {r} {tool,-7} {seconds,7:F2} s {paths.Count / seconds,7:F1} inst/s stored {stored} load {load}"));
    }
}

double Median(string tool)
{
    var xs = results.Where(x => x.Tool == tool).Select(x => x.Seconds).Order().ToList();
    return xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[(xs.Count / 2) - 1] + xs[xs.Count / 2]) / 2;
}

var (nas, curl) = (Median("naspacs"), Median("curl"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median naspacs {nas:F2} s ({paths.Count / nas:F1} inst/s), curl {curl:F2} s ({paths.Count / curl:F1} inst/s); NasPacs throughput = {curl / nas * 100:F0}% of curl"));
data.Delete(recursive: true);

static async Task NasPacsAsync(OrthancServer orthanc, SeriesOrigin origin, int concurrency)
{
    await using var bridge = new ServiceCollection()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddOrthancBridge(o =>
        {
            o.Url = orthanc.Url;
            o.Username = orthanc.Username;
            o.Password = orthanc.Password;
            o.MaxConcurrency = concurrency;
        })
        .BuildServiceProvider();
    var job = bridge.GetRequiredService<IOrthancBridge>().StartJob(new PushJobRequest { Sources = [new PushJobSource(origin, Search: new SeriesSearch())] });
    var final = await job.Completion;
    if (final.State != PushJobState.Completed)
    {
        throw new InvalidOperationException($"The push ended {final.State}: {final.Error?.Message}");
    }
}

static async Task CurlAsync(OrthancServer orthanc, List<string> paths, int concurrency, string script)
{
    var list = Path.GetTempFileName();
    await File.WriteAllTextAsync(list, string.Join('\0', paths) + "\0");
    // 25 files per curl process: each process keeps one connection alive for its 25 uploads.
    var info = new ProcessStartInfo("/bin/bash", ["-c", $"xargs -0 -P {concurrency} -n 25 '{script}' < '{list}'"]) { UseShellExecute = false };
    info.Environment["ORTHANC_URL"] = orthanc.Url.ToString();
    info.Environment["ORTHANC_AUTH"] = $"{orthanc.Username}:{orthanc.Password}";
    using var process = Process.Start(info)!;
    await process.WaitForExitAsync();
    File.Delete(list);
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"curl uploads failed (exit {process.ExitCode}).");
    }
}

static async Task<int> StoredAsync(OrthancServer orthanc)
{
    using var client = orthanc.CreateClient();
    var stats = await client.GetFromJsonAsync<JsonElement>("statistics");
    return stats.GetProperty("CountInstances").GetInt32();
}
