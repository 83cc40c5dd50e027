using System.Net;
using System.Text.Json;

namespace NasPacs.Api.Tests;

public sealed class IndexApiTests
{
    [Fact]
    public async Task FirstStart_NoRootConfigured_GeneratesSampleAndIndexesIt()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var root = await client.WaitForPhaseAsync("sample", "completed");

        var status = root.GetProperty("status");
        Assert.Equal(49, status.GetProperty("enumerated_files").GetInt64());
        Assert.Equal(49, status.GetProperty("files_processed").GetInt64());
        Assert.Equal(12, status.GetProperty("series_count").GetInt64());
        Assert.Equal(1, status.GetProperty("errors").GetInt64());
        Assert.False(status.GetProperty("running").GetBoolean());
        Assert.Equal(1, status.GetProperty("errors_by_category").GetProperty("dicom").GetInt64());
        Assert.Equal(48, root.GetProperty("totals").GetProperty("files").GetInt64());
        Assert.True(File.Exists(Path.Combine(factory.Data.Path, "sample.db")));
    }

    [Fact]
    public async Task Start_WhileRunOnSameRootIsActive_Returns409()
    {
        using var factory = new ApiFactory(ApiFactory.Slow(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" }));
        using var client = factory.CreateClient();

        var first = await client.PostAsync("/api/index/start", null);
        var second = await client.PostAsync("/api/index/start", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Contains("already active", (await second.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await client.PostAsync("/api/index/cancel", null);
        await client.WaitForPhaseAsync("sample", "cancelled", "completed");
    }

    [Fact]
    public async Task Start_OnTwoRoots_RunsBothAtOnce()
    {
        using var second = new NasPacs.Testing.TempFolder("naspacs-root");
        CopyTree(Http.RepositorySamples(), second.Path);
        using var factory = new ApiFactory(ApiFactory.Slow(new()
        {
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:Roots:alpha:Path"] = Http.RepositorySamples(),
            ["NasPacs:Roots:beta:Path"] = second.Path,
        }));
        using var client = factory.CreateClient();

        var a = await client.PostAsync("/api/index/start?root=alpha", null);
        var b = await client.PostAsync("/api/index/start?root=beta", null);
        var both = await client.JsonAsync("/api/index/status");

        Assert.Equal(HttpStatusCode.Accepted, a.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.All(both.GetProperty("roots").EnumerateArray(), r => Assert.True(r.GetProperty("active").GetBoolean()));
        await client.PostAsync("/api/index/cancel?root=alpha", null);
        await client.PostAsync("/api/index/cancel?root=beta", null);
        await client.WaitForPhaseAsync("alpha", "cancelled", "completed");
        await client.WaitForPhaseAsync("beta", "cancelled", "completed");
    }

    [Fact]
    public async Task PauseResumeCancel_DuringRun_ChangePhase()
    {
        using var factory = new ApiFactory(ApiFactory.Slow(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" }));
        using var client = factory.CreateClient();
        await client.PostAsync("/api/index/start", null);

        var paused = await client.PostAsync("/api/index/pause", null);
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        await client.WaitForPhaseAsync("sample", "paused");
        var resumed = await client.PostAsync("/api/index/resume", null);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        await client.WaitForPhaseAsync("sample", "enumerating", "indexing");
        var cancelled = await client.PostAsync("/api/index/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        var final = await client.WaitForPhaseAsync("sample", "cancelled", "completed");
        Assert.False(final.GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task Control_WithoutActiveRun_Returns409(string action)
    {
        using var factory = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient();

        var response = await client.PostAsync($"/api/index/{action}", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("No run is active", (await response.BodyAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnknownRoot_Returns400NamingRoot()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/index/start?root=nope", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.BodyAsync()).GetProperty("errors").TryGetProperty("root", out _));
    }

    [Fact]
    public async Task Start_UnreachableRoot_Returns422WithSuggestionAndStatusShowsProblem()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/nas" });
        using var client = factory.CreateClient();

        var response = await client.PostAsync("/api/index/start?root=gone", null);
        var body = await response.BodyAsync();
        var status = await client.JsonAsync("/api/index/status?root=gone");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("fs.root-unreachable", body.GetProperty("code").GetString());
        Assert.Contains("mounted", body.GetProperty("suggestion").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal);
        var problem = status.GetProperty("roots")[0].GetProperty("problem");
        Assert.Equal("fs.root-unreachable", problem.GetProperty("code").GetString());
        Assert.Equal("failed", status.GetProperty("roots")[0].GetProperty("status").GetProperty("phase").GetString());
    }

    [Fact]
    public async Task Events_DuringRun_DeliverProgressToCompletion()
    {
        using var factory = new ApiFactory(ApiFactory.Slow(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" }));
        using var client = factory.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.GetAsync("/api/index/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));

        await client.PostAsync("/api/index/start", null, cts.Token);
        var events = new List<JsonElement>();
        while (await reader.ReadLineAsync(cts.Token) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var root = JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("roots")[0];
            events.Add(root);
            if (root.GetProperty("status").ValueKind == JsonValueKind.Object
                && root.GetProperty("status").GetProperty("phase").GetString() == "completed"
                && events.Count > 1)
            {
                break;
            }
        }

        var processed = events.Where(e => e.GetProperty("status").ValueKind == JsonValueKind.Object)
            .Select(e => e.GetProperty("status").GetProperty("files_processed").GetInt64()).ToList();
        Assert.True(events.Count >= 3, $"only {events.Count} events");
        Assert.Contains(processed, p => p > 0 && p < 49);
        Assert.Equal(processed.Order().ToList(), processed);
        Assert.Equal(49, processed[^1]);
    }

    [Fact]
    public async Task Errors_FilteredAndPaged_ReturnsReportsWithSuggestions()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");

        var all = await client.JsonAsync("/api/index/errors?page=1&pageSize=10");
        var dicom = await client.JsonAsync("/api/index/errors?category=dicom");
        var network = await client.JsonAsync("/api/index/errors?category=network");
        var bad = await client.GetAsync("/api/index/errors?category=bogus&pageSize=5000");

        Assert.Equal(1, all.GetProperty("total").GetInt64());
        var error = all.GetProperty("items")[0];
        Assert.Equal("dicom", error.GetProperty("category").GetString());
        Assert.Equal("UNSORTED/broken.dcm", error.GetProperty("path").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("suggestion").GetString()));
        Assert.Equal(1, dicom.GetProperty("total").GetInt64());
        Assert.Equal(0, network.GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await bad.BodyAsync()).GetProperty("errors");
        Assert.True(fields.TryGetProperty("category", out _));
        Assert.True(fields.TryGetProperty("pageSize", out _));
    }

    [Fact]
    public async Task Runs_AfterFirstStart_ListsTheRun()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");

        var runs = await client.JsonAsync("/api/index/runs");

        Assert.Equal(1, runs.GetProperty("total").GetInt64());
        Assert.Equal("completed", runs.GetProperty("items")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Export_AfterIndexing_StreamsTheDesignsJson()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");

        var response = await client.GetAsync("/api/index/export.json");
        var series = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(12, series.GetArrayLength());
        foreach (var s in series.EnumerateArray())
        {
            Assert.Equal(4, s.GetProperty("file_count").GetInt32());
            Assert.Equal(4, s.GetProperty("files").GetArrayLength());
            Assert.StartsWith(factory.Data.Path, s.GetProperty("files")[0].GetString(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(s.GetProperty("SeriesKey").GetString()));
        }
    }

    internal static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
