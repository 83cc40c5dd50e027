using System.Net;
using System.Text.Json;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: X-Forwarded-For counts only from configured proxies (audit and rate limits see the real client).</summary>
public sealed class ReverseProxyTests
{
    [Theory]
    [InlineData("127.0.0.1", "203.0.113.7")]
    [InlineData("10.9.9.9", "127.0.0.1")]
    public async Task FailedSignIn_ForwardedFor_IsRecordedOnlyFromAKnownProxy(string knownProxy, string recorded)
    {
        using var server = new ApiFactory(new()
        {
            ["urls"] = "http://127.0.0.1:0",
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:Proxy:KnownProxies:0"] = knownProxy,
        });
        var baseUrl = server.StartKestrel()[0];
        using var client = Client(baseUrl, "203.0.113.7");

        using var failed = await BrowserSession.PostLoginAsync(client, "admin", "wrong-password-123");
        using var admin = Client(baseUrl, null);
        await BrowserSession.SignInAsync(admin, "admin", server.AdminPassword);
        var audit = JsonDocument.Parse(await admin.GetStringAsync("/api/audit?action=sign-in failed")).RootElement;

        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        Assert.Equal(recorded, audit.GetProperty("items")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task SignInRateLimit_BehindKnownProxy_CountsPerForwardedClient()
    {
        using var server = new ApiFactory(new()
        {
            ["urls"] = "http://127.0.0.1:0",
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:Proxy:KnownNetworks:0"] = "127.0.0.0/8",
            ["NasPacs:Security:LoginAttemptsPerMinute"] = "2",
        });
        var baseUrl = server.StartKestrel()[0];
        using var first = Client(baseUrl, "198.51.100.1");
        using var second = Client(baseUrl, "198.51.100.2");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await BrowserSession.PostLoginAsync(first, "nobody", "wrong-password-123");
            statuses.Add(response.StatusCode);
        }

        using var other = await BrowserSession.PostLoginAsync(second, "nobody", "wrong-password-123");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public void Start_InvalidProxyAddress_FailsNamingTheSetting()
    {
        using var server = new ApiFactory(new() { ["NasPacs:Proxy:KnownProxies:0"] = "not-an-address" });

        var ex = server.StartFailure();

        Assert.Contains("NasPacs:Proxy:KnownProxies", ex.Message, StringComparison.Ordinal);
    }

    private static HttpClient Client(string baseUrl, string? forwardedFor)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        if (forwardedFor is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }

        return client;
    }
}
