using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using NasPacs.Api.Sample;

// naspacs-serverbench corpus <out> <patients> <studies/patient> <series/study> <instances/series>
// naspacs-serverbench sse <base-url> <root> <dashboards>
//   Starts a run on <root> with <dashboards> clients reading /api/index/events, waits for the end, prints the run's
//   duration and rate as the server measured them, and the events each dashboard received.
return args switch
{
    ["corpus", var output, var p, var s, var r, var i] => Corpus(output, Int(p), Int(s), Int(r), Int(i)),
    ["sse", var baseUrl, var root, var dashboards] => await SseAsync(new Uri(baseUrl), root, Int(dashboards)),
    _ => Usage(),
};

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("usage: naspacs-serverbench corpus <out> <patients> <studies> <series> <instances> | sse <base-url> <root> <dashboards>");
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
