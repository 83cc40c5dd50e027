using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NasPacs.Testing.Orthanc;

namespace NasPacs.Api.Tests.Orthanc;

/// <summary>The /api/orthanc routes over the real server, the sample NAS and a real Orthanc of the test's own.</summary>
public sealed class OrthancApiTests : IClassFixture<OrthancApiTests.Server>
{
    private readonly Server _orthanc;

    public OrthancApiTests(Server orthanc) => _orthanc = orthanc;

    [Fact]
    public async Task Status_NotConfigured_SaysWhatToSetAndPushIs503()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");
        var key = (await client.JsonAsync("/api/search?pageSize=1")).GetProperty("items")[0].GetProperty("series_key").GetString()!;

        var status = await client.JsonAsync("/api/orthanc/status");
        using var push = await client.PostAsync("/api/orthanc/push?key=" + Uri.EscapeDataString(key), null);
        var problem = await push.BodyAsync();

        Assert.False(status.GetProperty("configured").GetBoolean());
        Assert.Equal("orthanc.not-configured", status.GetProperty("problem").GetProperty("code").GetString());
        Assert.Contains("NasPacs:Orthanc:Url", status.GetProperty("problem").GetProperty("suggestion").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, push.StatusCode);
        Assert.Equal("orthanc.not-configured", problem.GetProperty("code").GetString());
    }

    [OrthancFact]
    public async Task Status_Configured_ReportsVersionAuthAndMetadata()
    {
        using var factory = _orthanc.Factory();
        using var client = factory.CreateClient();

        var status = await client.JsonAsync("/api/orthanc/status");

        Assert.True(status.GetProperty("reachable").GetBoolean());
        Assert.True(status.GetProperty("authenticated").GetBoolean());
        Assert.Equal("naspacs", status.GetProperty("username").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", status.GetProperty("server").GetProperty("version").GetString());
        Assert.All(status.GetProperty("metadata").EnumerateArray(), m => Assert.Equal("declared", m.GetProperty("state").GetString()));
        Assert.Equal(JsonValueKind.Null, status.GetProperty("problem").ValueKind);
        Assert.DoesNotContain(_orthanc.Orthanc.Password, status.GetRawText(), StringComparison.Ordinal);
    }

    [OrthancFact]
    public async Task PushSeries_SampleSeries_CompletesAndSyncSaysComplete()
    {
        using var factory = _orthanc.Factory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");
        var key = (await client.JsonAsync("/api/search?q=clara&modality=MR&pageSize=1")).GetProperty("items")[0].GetProperty("series_key").GetString()!;
        var before = await client.JsonAsync("/api/orthanc/sync?key=" + Uri.EscapeDataString(key));

        using var start = await client.PostAsync("/api/orthanc/push?key=" + Uri.EscapeDataString(key), null);
        var job = await start.BodyAsync();
        var final = await WaitForJobAsync(client, job.GetProperty("id").GetString()!);
        var after = await client.JsonAsync("/api/orthanc/sync?key=" + Uri.EscapeDataString(key));
        var pushes = await client.JsonAsync("/api/orthanc/pushes");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("absent", before.GetProperty("state").GetString());
        Assert.Equal("completed", final.GetProperty("state").GetString());
        Assert.Equal(4, final.GetProperty("uploaded").GetInt64());
        Assert.Equal("complete", after.GetProperty("state").GetString());
        Assert.Equal(4, after.GetProperty("present_in_orthanc").GetInt32());
        Assert.Contains(pushes.EnumerateArray(), p => p.GetProperty("series_key").GetString() == key && p.GetProperty("outcome").GetString() == "completed");
    }

    [OrthancFact]
    public async Task BulkJob_MatchingSearch_PushesEachSeriesAndStreamsTheEnd()
    {
        using var factory = _orthanc.Factory();
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");

        using var start = await client.PostAsync("/api/orthanc/jobs?q=boris", null);
        var id = (await start.BodyAsync()).GetProperty("id").GetString()!;
        var events = await client.GetStringAsync($"/api/orthanc/jobs/{id}/events");
        var final = await client.JsonAsync($"/api/orthanc/jobs/{id}");
        var jobs = await client.JsonAsync("/api/orthanc/jobs");

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Contains("event: job", events, StringComparison.Ordinal);
        var last = JsonDocument.Parse(events.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]).RootElement;
        Assert.False(last.GetProperty("active").GetBoolean());
        Assert.Equal("completed", final.GetProperty("state").GetString());
        Assert.Equal(4, final.GetProperty("series_total").GetInt32());
        Assert.Equal(4, final.GetProperty("results").GetArrayLength());
        Assert.Contains(jobs.EnumerateArray(), j => j.GetProperty("id").GetString() == id);
    }

    [OrthancFact]
    public async Task WrongPassword_StatusAndPush_ExplainTheCredentials()
    {
        using var factory = _orthanc.Factory(password: "wrong-password");
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");
        var key = (await client.JsonAsync("/api/search?pageSize=1")).GetProperty("items")[0].GetProperty("series_key").GetString()!;

        var status = await client.JsonAsync("/api/orthanc/status");
        using var start = await client.PostAsync("/api/orthanc/push?key=" + Uri.EscapeDataString(key), null);
        var final = await WaitForJobAsync(client, (await start.BodyAsync()).GetProperty("id").GetString()!);
        using var sync = await client.GetAsync("/api/orthanc/sync?key=" + Uri.EscapeDataString(key));
        var syncProblem = await sync.BodyAsync();

        Assert.True(status.GetProperty("reachable").GetBoolean());
        Assert.False(status.GetProperty("authenticated").GetBoolean());
        Assert.Equal("orthanc.auth-failed", status.GetProperty("problem").GetProperty("code").GetString());
        Assert.Equal("failed", final.GetProperty("state").GetString());
        Assert.Equal("orthanc.auth-failed", final.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadGateway, sync.StatusCode);
        Assert.Equal("orthanc.auth-failed", syncProblem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(syncProblem.GetProperty("suggestion").GetString()));
    }

    [OrthancFact]
    public async Task Routes_UnknownJobAndMissingKey_404And400()
    {
        using var factory = _orthanc.Factory();
        using var client = factory.CreateClient();

        using var unknown = await client.PostAsync("/api/orthanc/jobs/nosuchjob/pause", null);
        using var missingKey = await client.PostAsync("/api/orthanc/push", null);
        using var badDate = await client.PostAsync("/api/orthanc/jobs?from=yesterday", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missingKey.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
    }

    internal static async Task<JsonElement> WaitForJobAsync(HttpClient client, string id)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var job = await client.JsonAsync($"/api/orthanc/jobs/{id}");
            if (!job.GetProperty("active").GetBoolean())
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Job {id} did not end: {job}");
            await Task.Delay(100);
        }
    }

    /// <summary>One Orthanc for the class; each test gets its own server (its own data folder and sample index).</summary>
    public sealed class Server : IAsyncLifetime
    {
        private OrthancServer? _orthanc;

        public OrthancServer Orthanc => _orthanc ?? throw new InvalidOperationException("Orthanc did not start.");

        public ApiFactory Factory(string? password = null) => new(new()
        {
            ["NasPacs:Orthanc:Url"] = Orthanc.Url.ToString(),
            ["NasPacs:Orthanc:Username"] = Orthanc.Username,
            ["NasPacs:Orthanc:Password"] = password ?? Orthanc.Password,
        });

        public async Task InitializeAsync()
        {
            if (OrthancServer.UnavailableReason is null || Testing.Oracle.ReferenceTools.IsCI)
            {
                _orthanc = await OrthancServer.StartAsync();
            }
        }

        public async Task DisposeAsync()
        {
            if (_orthanc is not null)
            {
                await _orthanc.DisposeAsync();
            }
        }
    }
}
