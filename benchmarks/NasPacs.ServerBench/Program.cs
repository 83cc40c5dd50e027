using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Sample;
using NasPacs.Indexing;

// naspacs-serverbench corpus <out> <patients> <studies/patient> <series/study> <instances/series>
// naspacs-serverbench sse <base-url> <root> <dashboards>
// naspacs-serverbench query <index.db> <rounds> [only searches whose name contains this]
//   Runs search.lua's searches in-process through IIndexQuery (no HTTP), <rounds> times each, one at a time, and prints
//   p50/p90/max per search: what one client costs the database.
//   Starts a run on <root> with <dashboards> clients reading /api/index/events, waits for the end, prints the run's
//   duration and rate as the server measured them, and the events each dashboard received. NASPACS_TOKEN: an API token.
//   sse_pairs.sh runs it in interleaved pairs on fresh indexes and adds the server's CPU seconds.
return args switch
{
    ["corpus", var output, var p, var s, var r, var i] => Corpus(output, Int(p), Int(s), Int(r), Int(i)),
    ["sse", var baseUrl, var root, var dashboards] => await SseAsync(new Uri(baseUrl), root, Int(dashboards)),
    ["query", var database, var rounds] => await QueryAsync(database, Int(rounds), null),
    ["query", var database, var rounds, var only] => await QueryAsync(database, Int(rounds), only),
    _ => Usage(),
};

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("usage: naspacs-serverbench corpus <out> <patients> <studies> <series> <instances> | sse <base-url> <root> <dashboards> | query <index.db> <rounds>");
    return 2;
}

static int Corpus(string output, int patients, int studies, int series, int instances)
{
    var clock = Stopwatch.StartNew();
    SampleNas.Write(output, patients, studies, series, instances);
    var files = (long)patients * studies * series * instances;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {files:N0} files in {(long)patients * studies * series:N0} series to {output} in {clock.Elapsed.TotalSeconds:F1} s"));
    return 0;
}

static async Task<int> SseAsync(Uri baseUrl, string root, int dashboards)
{
    using var client = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
    if (Environment.GetEnvironmentVariable("NASPACS_TOKEN") is { Length: > 0 } token)
    {
        // Since sign-in (#8): an API token of an operator (starting a run needs one).
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    using var stop = new CancellationTokenSource();
    var events = new long[dashboards];
    var readers = Enumerable.Range(0, dashboards).Select(async d =>
    {
        try
        {
            using var stream = await client.GetStreamAsync("/api/index/events", stop.Token);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref events[d]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }).ToList();

    await Task.Delay(500);
    var start = await client.PostAsync($"/api/index/start?root={root}", null);
    if (!start.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"start: {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        return 1;
    }

    JsonElement status;
    while (true)
    {
        await Task.Delay(1000);
        var body = await client.GetFromJsonAsync<JsonElement>($"/api/index/status?root={root}");
        var entry = body.GetProperty("roots")[0];
        status = entry.GetProperty("status");
        if (!entry.GetProperty("active").GetBoolean())
        {
            break;
        }
    }

    await stop.CancelAsync();
    await Task.WhenAll(readers);
    var started = status.GetProperty("started_at").GetDateTimeOffset();
    var ended = status.GetProperty("last_updated").GetDateTimeOffset();
    var seconds = (ended - started).TotalSeconds;
    var processed = status.GetProperty("files_processed").GetInt64();
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"dashboards={dashboards} phase={status.GetProperty("phase").GetString()} files={processed:N0} seconds={seconds:F2} files_per_second={processed / seconds:N0} events_per_dashboard={(dashboards == 0 ? 0 : events.Average()):F1}"));
    return 0;
}

static async Task<int> QueryAsync(string database, int rounds, string? only)
{
    // The searches of search.lua, as SearchApi turns them into SeriesSearch (page size 50 unless given).
    (string Name, SeriesSearch Search)[] searches =
    [
        ("(all)", new SeriesSearch()),
        ("q=synth", new SeriesSearch { Text = "synth" }),
        ("q=P0042", new SeriesSearch { Text = "P0042" }),
        ("q=NP-004217", new SeriesSearch { Text = "NP-004217" }),
        ("q=brain&modality=MR", new SeriesSearch { Text = "brain", Modality = "MR" }),
        ("q=chest axial", new SeriesSearch { Text = "chest axial" }),
        ("modality=CT&sort=patient_name", new SeriesSearch { Modality = "CT", Sort = SeriesSort.PatientName, Descending = false }),
        ("from=2025-01-01&to=2025-03-31", new SeriesSearch { From = new DateOnly(2025, 1, 1), To = new DateOnly(2025, 3, 31) }),
        ("q=flair&from=2026-01-01", new SeriesSearch { Text = "flair", From = new DateOnly(2026, 1, 1) }),
        ("sort=-file_count&page=3", new SeriesSearch { Sort = SeriesSort.FileCount, Page = new PageRequest(100, 50) }),
        ("q=P00&page=2&pageSize=50", new SeriesSearch { Text = "P00", Page = new PageRequest(50, 50) }),
        ("modality=MR&sort=-study_date&page=10", new SeriesSearch { Modality = "MR", Page = new PageRequest(450, 50) }),
        ("q=synth&sort=relevance", new SeriesSearch { Text = "synth", Sort = SeriesSort.Relevance }),
        ("q=synth&sort=patient_name", new SeriesSearch { Text = "synth", Sort = SeriesSort.PatientName, Descending = false }),
    ];

    await using var services = new ServiceCollection().AddNasIndexing(o => o.DatabasePath = database).BuildServiceProvider();
    var query = services.GetRequiredService<IIndexQuery>();
    Console.WriteLine($"{"search",-40} {"total",8} {"p50 ms",8} {"p90 ms",8} {"max ms",8} {"cpu ms",8}");
    foreach (var (name, search) in searches.Where(s => only is null || s.Name.Contains(only, StringComparison.Ordinal)))
    {
        var times = new double[rounds];
        long total = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var r = 0; r < rounds; r++)
        {
            var clock = Stopwatch.StartNew();
            total = (await query.SearchSeriesAsync(search)).Total;
            times[r] = clock.Elapsed.TotalMilliseconds;
        }

        // CPU time per search (the process runs them one at a time): what a shared, loaded machine does not distort.
        var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / rounds;
        Array.Sort(times);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture, $"{name,-40} {total,8} {times[rounds / 2],8:F2} {times[rounds * 9 / 10],8:F2} {times[^1],8:F2} {cpuMs,8:F2}"));
    }

    return 0;
}
