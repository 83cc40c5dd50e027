using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Api.Search;

namespace NasPacs.Api.Tests.Search;

/// <summary>The search gate through HTTP: a server with one slot and no waiting places, whose slot the test holds.</summary>
public sealed class SearchGateApiTests : IClassFixture<SearchGateApiTests.OneSlot>
{
    private readonly OneSlot _server;

    public SearchGateApiTests(OneSlot server) => _server = server;

    [Fact]
    public async Task Search_GateFull_Returns503WithRetryAfterAndProblem()
    {
        var gate = _server.Factory.Services.GetRequiredService<SearchGate>();
        var end = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(() => end.Task, CancellationToken.None);

        using var refused = await _server.Client.GetAsync("/api/search?q=alice");
        end.SetResult(0);
        await holding;
        using var after = await _server.Client.GetAsync("/api/search?q=alice");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.BodyAsync();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:naspacs:error:search.busy", problem.GetProperty("type").GetString());
        Assert.Equal("The server is busy with other searches (the queue of waiting searches is full); try again in 5 s.", problem.GetProperty("detail").GetString());
        Assert.True(problem.GetProperty("is_transient").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Series_GateFull_Returns503ThenTheSeriesOnceFree()
    {
        var found = await _server.Client.JsonAsync("/api/search?q=clara");
        var key = found.GetProperty("items")[0].GetProperty("series_key").GetString()!;
        var path = "/api/series/" + Uri.EscapeDataString(key);
        var gate = _server.Factory.Services.GetRequiredService<SearchGate>();
        var end = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(() => end.Task, CancellationToken.None);

        using var refused = await _server.Client.GetAsync(path);
        end.SetResult(0);
        await holding;
        using var after = await _server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("urn:naspacs:error:search.busy", (await refused.BodyAsync()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(key, (await after.BodyAsync()).GetProperty("series").GetProperty("series_key").GetString());
    }

    [Theory]
    [InlineData("/api/search")]
    [InlineData("/api/series/{key}")]
    public async Task OpenApi_SearchAndSeries_Declare503Problem(string route)
    {
        var document = await _server.Client.JsonAsync("/openapi/v1.json");

        var responses = document.GetProperty("paths").GetProperty(route).GetProperty("get").GetProperty("responses");
        Assert.True(responses.TryGetProperty("503", out var busy), responses.ToString());
        Assert.True(busy.GetProperty("content").TryGetProperty("application/problem+json", out _), busy.ToString());
    }

    [Fact]
    public void Start_SearchSlotsZero_FailsNamingTheSetting()
    {
        using var server = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false", ["NasPacs:Search:Slots"] = "0" });

        var ex = server.StartFailure();

        Assert.Contains("NasPacs:Search:Slots must be 1 to 1024 (was 0).", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>One server for the class: one search slot, no waiting place, a 5 s wait limit; the sample indexed once.</summary>
    public sealed class OneSlot : SearchApiTests.Indexed
    {
        protected override Dictionary<string, string?> Settings => new()
        {
            ["NasPacs:Search:Slots"] = "1",
            ["NasPacs:Search:QueueLimit"] = "0",
            ["NasPacs:Search:MaxWait"] = "00:00:05",
        };
    }
}
