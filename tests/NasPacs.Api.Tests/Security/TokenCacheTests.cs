using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace NasPacs.Api.Tests.Security;

/// <summary>
/// Issue #4: a token or session seen before is answered from memory (UserStore's ValidatedCache) — and a change to
/// security.db takes effect on the very next request, whoever made it.
/// </summary>
public sealed class TokenCacheTests
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" };

    [Fact]
    public async Task ApiToken_UsedThenRevoked_RefusedAtOnce()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/auth/tokens", new { name = "script" });
        var body = await created.BodyAsync();
        using var script = factory.CreateAnonymousClient();
        script.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("secret").GetString());

        var before = await StatusesAsync(script, "/api/search", 3);
        using var revoke = await admin.DeleteAsync($"/api/auth/tokens/{body.GetProperty("token").GetProperty("id").GetInt64()}");
        using var after = await script.GetAsync("/api/search");

        Assert.All(before, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ApiToken_RevokedOutsideTheServer_RefusedAtOnce()
    {
        using var factory = new ApiFactory(Quiet);
        using var viewer = factory.CreateClient("viewer");

        var before = await StatusesAsync(viewer, "/api/search", 3);
        // Another connection writes the file, as another process or an admin's sqlite3 would: no call into the server.
        using (var connection = new SqliteConnection($"Data Source={factory.Data.Combine("security.db")};Pooling=False"))
        {
            connection.Open();
            using var revoke = connection.CreateCommand();
            revoke.CommandText = "UPDATE api_tokens SET revoked_at = '2026-01-01T00:00:00.0000000Z' WHERE user_id = (SELECT id FROM users WHERE name = 'viewer-user')";
            Assert.Equal(1, revoke.ExecuteNonQuery());
        }

        using var after = await viewer.GetAsync("/api/search");

        Assert.All(before, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ApiToken_UsedThenUserDemoted_NewRoleAppliesAtOnce()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var operatorClient = factory.CreateClient("operator");
        var before = await StatusesAsync(operatorClient, "/api/nas/test?root=sample", 2);
        var id = await admin.UserIdAsync("operator-user");

        using var demote = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "viewer" });
        using var after = await operatorClient.GetAsync("/api/nas/test?root=sample");
        using var stillReads = await operatorClient.GetAsync("/api/search");

        Assert.All(before, s => Assert.NotEqual(HttpStatusCode.Forbidden, s));
        Assert.All(before, s => Assert.NotEqual(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillReads.StatusCode);
    }

    [Fact]
    public async Task Session_UsedThenUserDisabled_RefusedAtOnce()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        _ = factory.TokenOf("viewer");
        using var browser = factory.CreateCookieClient();
        await BrowserSession.SignInAsync(browser, "viewer-user", ApiFactory.PasswordOf("viewer"));
        var id = await admin.UserIdAsync("viewer-user");

        var before = await StatusesAsync(browser, "/api/search", 3);
        using var disable = await admin.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });
        using var after = await browser.GetAsync("/api/search");

        Assert.All(before, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task ApiToken_FirstUsedByManyRequestsAtOnce_AllSucceed()
    {
        using var factory = new ApiFactory(Quiet);
        using var viewer = factory.CreateClient("viewer");

        // Each finds the last use due and records it: a write from inside its read snapshot failed (database is locked)
        // for every request but the first.
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => viewer.GetAsync("/api/search")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<List<HttpStatusCode>> StatusesAsync(HttpClient client, string url, int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            using var response = await client.GetAsync(url);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
