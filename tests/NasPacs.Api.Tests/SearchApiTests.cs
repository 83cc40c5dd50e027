using System.Net;
using System.Text.Json;

namespace NasPacs.Api.Tests;

/// <summary>Search and series routes over the generated sample (3 patients, 12 series: 6 CT, 6 MR).</summary>
public sealed class SearchApiTests : IClassFixture<SearchApiTests.Indexed>
{
    private readonly HttpClient _client;

    public SearchApiTests(Indexed indexed) => _client = indexed.Client;

    [Fact]
    public async Task Search_NoParameters_ReturnsAllNewestFirst()
    {
        var page = await _client.JsonAsync("/api/search");

        Assert.Equal(12, page.GetProperty("total").GetInt64());
        Assert.False(page.GetProperty("total_capped").GetBoolean());
        var dates = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("study_date").GetString()).ToList();
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal).ToList(), dates);
        Assert.Equal("-study_date", page.GetProperty("sort").GetString());
    }

    [Theory]
    [InlineData("q=alice", 4)]
    [InlineData("q=NP-SAMPLE-002", 4)]
    [InlineData("q=brain", 6)]
    [InlineData("q=sample+clara+flair", 1)]
    [InlineData("modality=CT", 6)]
    [InlineData("modality=mr&q=boris", 2)]
    [InlineData("from=2024-05-01", 4)]
    [InlineData("from=2024-01-01&to=2024-02-28", 4)]
    [InlineData("q=nobody", 0)]
    public async Task Search_Filters_ReturnMatchingSeries(string query, int expected)
    {
        var page = await _client.JsonAsync("/api/search?" + query);

        Assert.Equal(expected, page.GetProperty("total").GetInt64());
        Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Search_Paged_ReturnsDisjointPages()
    {
        var first = await _client.JsonAsync("/api/search?page=1&pageSize=5&sort=patient_name");
        var third = await _client.JsonAsync("/api/search?page=3&pageSize=5&sort=patient_name");

        Assert.Equal(5, first.GetProperty("items").GetArrayLength());
        Assert.Equal(2, third.GetProperty("items").GetArrayLength());
        Assert.Equal("SAMPLE^ALICE", first.GetProperty("items")[0].GetProperty("patient_name").GetString());
        Assert.Equal("SAMPLE^CLARA", third.GetProperty("items")[1].GetProperty("patient_name").GetString());
    }

    [Fact]
    public async Task Search_SortDescendingByName_PutsLastNameFirst()
    {
        var page = await _client.JsonAsync("/api/search?sort=-patient_name&pageSize=1");

        Assert.Equal("SAMPLE^CLARA", page.GetProperty("items")[0].GetProperty("patient_name").GetString());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=x", "page")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=-1", "pageSize")]
    [InlineData("from=2024-13-01", "from")]
    [InlineData("to=yesterday", "to")]
    [InlineData("from=2024-02-01&to=2024-01-01", "to")]
    [InlineData("sort=size", "sort")]
    [InlineData("root=nope", "root")]
    public async Task Search_InvalidParameter_Returns400NamingIt(string query, string field)
    {
        var response = await _client.GetAsync("/api/search?" + query);
        var body = await response.BodyAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }

    [Fact]
    public async Task Series_KeyWithDots_ReturnsDetailsAndFiles()
    {
        var key = (await _client.JsonAsync("/api/search?q=alice&modality=CT&pageSize=1")).GetProperty("items")[0].GetProperty("series_key").GetString()!;

        var details = await _client.JsonAsync($"/api/series/{key}?pageSize=3");

        Assert.Contains(".", key, StringComparison.Ordinal);
        Assert.Equal(key, details.GetProperty("series").GetProperty("series_instance_uid").GetString());
        Assert.Equal("CT", details.GetProperty("series").GetProperty("modality").GetString());
        Assert.Equal(4, details.GetProperty("files").GetProperty("total").GetInt64());
        var files = details.GetProperty("files").GetProperty("items");
        Assert.Equal(3, files.GetArrayLength());
        Assert.Equal(1, files[0].GetProperty("instance_number").GetInt32());
        Assert.Equal("1.2.840.10008.1.2.1", files[0].GetProperty("transfer_syntax_uid").GetString());
    }

    [Fact]
    public async Task Series_UnknownKey_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/series/1.2.3.4.5.404");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (await response.BodyAsync()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Series_BadPageSize_Returns400()
    {
        var response = await _client.GetAsync("/api/series/1.2.3?pageSize=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnknownApiRoute_Returns404Problem()
    {
        var response = await _client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApi_Document_ListsEveryRoute()
    {
        var document = await _client.JsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        foreach (var route in new[]
        {
            "/api/index/start", "/api/index/status", "/api/index/pause", "/api/index/resume", "/api/index/cancel", "/api/index/events",
            "/api/index/errors", "/api/index/export.json", "/api/search", "/api/series/{key}", "/api/nas/test",
        })
        {
            Assert.Contains(route, paths);
        }
    }

    [Fact]
    public async Task Ui_Root_ServesHtmlWithoutInlineScript()
    {
        var html = await _client.GetStringAsync("/");

        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" onclick=", html, StringComparison.Ordinal);
    }

    /// <summary>One server indexed once for all search tests; a subclass gives its own settings.</summary>
    public class Indexed : IAsyncLifetime, IDisposable
    {
        public ApiFactory Factory { get; private set; } = null!;

        public HttpClient Client { get; private set; } = null!;

        /// <summary>Configuration keys for the server, as an operator would set them; none by default.</summary>
        protected virtual Dictionary<string, string?>? Settings => null;

        public async Task InitializeAsync()
        {
            Factory = new ApiFactory(Settings);
            Client = Factory.CreateClient();
            await Client.WaitForPhaseAsync("sample", "completed");
        }

        public Task DisposeAsync() => Task.CompletedTask;

        public void Dispose()
        {
            Client.Dispose();
            Factory.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
