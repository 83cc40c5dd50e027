using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: sign-in, roles, antiforgery, cookies, tokens and throttling, through the real server.</summary>
public sealed class AuthenticationTests
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" };

    [Theory]
    [InlineData("/api/search")]
    [InlineData("/api/index/status")]
    [InlineData("/api/users")]
    [InlineData("/api/no-such-route")]
    public async Task Api_NoCredentials_Returns401(string url)
    {
        using var factory = new ApiFactory(Quiet);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    public async Task Page_NoSession_RedirectsToSignIn(string url)
    {
        using var factory = new ApiFactory(Quiet);
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = null;

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login.html", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task SignInPage_NoSession_IsServedWithSecurityHeaders()
    {
        using var factory = new ApiFactory(Quiet);
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync("/login.html");
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory]
    [InlineData("viewer", "POST", "/api/index/start?root=sample")]
    [InlineData("viewer", "POST", "/api/index/cancel?root=sample")]
    [InlineData("viewer", "GET", "/api/nas/test")]
    [InlineData("viewer", "GET", "/api/users")]
    [InlineData("operator", "GET", "/api/users")]
    [InlineData("operator", "GET", "/api/audit")]
    [InlineData("operator", "POST", "/api/users")]
    public async Task Route_WrongRole_Returns403(string role, string method, string url)
    {
        using var factory = new ApiFactory(Quiet);
        using var client = factory.CreateClient(role);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = JsonContent.Create(new { }) });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CookieSession_StateChangeWithoutAntiforgeryToken_Returns400AndChangesNothing()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();
        var csrf = await BrowserSession.SignInAsync(browser, "admin", factory.AdminPassword);

        using var forged = await browser.PostAsync("/api/index/start?root=sample", null);
        var problem = await forged.BodyAsync();
        var status = await browser.JsonAsync("/api/index/status?root=sample");

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("urn:naspacs:error:csrf", problem.GetProperty("type").GetString());
        Assert.False(status.GetProperty("roots")[0].GetProperty("active").GetBoolean());

        using var genuine = new HttpRequestMessage(HttpMethod.Post, "/api/index/start?root=sample");
        genuine.Headers.Add(BrowserSession.CsrfHeader, csrf);
        using var accepted = await browser.SendAsync(genuine);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_Returns400()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();

        using var response = await browser.PostAsJsonAsync("/api/auth/login", new { name = "admin", password = factory.AdminPassword });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ApiToken_StateChangeWithoutAntiforgeryToken_IsAccepted()
    {
        using var factory = new ApiFactory(Quiet);
        using var client = factory.CreateClient("operator");

        using var response = await client.PostAsync("/api/index/start?root=sample", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_Succeeds_SetsHttpOnlySameSiteStrictCookie()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();

        using var response = await BrowserSession.PostLoginAsync(browser, "admin", factory.AdminPassword);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("naspacs.session=", StringComparison.Ordinal));
        var session = await browser.JsonAsync("/api/auth/session");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("admin", session.GetProperty("user").GetProperty("role").GetString());
    }

    [Fact]
    public async Task SignIn_WrongPassword_Returns401WithoutSession()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();

        using var response = await BrowserSession.PostLoginAsync(browser, "admin", "not-the-password");
        using var after = await browser.GetAsync("/api/search");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_ThrottlesEvenTheRightPassword()
    {
        using var factory = new ApiFactory(new(Quiet) { ["NasPacs:Security:FailuresBeforeBackoff"] = "3" });
        using var browser = factory.CreateCookieClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var failed = await BrowserSession.PostLoginAsync(browser, "admin", "wrong-" + i);
            statuses.Add(failed.StatusCode);
        }

        using var throttled = await BrowserSession.PostLoginAsync(browser, "admin", factory.AdminPassword);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 30);
    }

    [Fact]
    public async Task SignIn_TooManyAttemptsFromOneAddress_Returns429()
    {
        using var factory = new ApiFactory(new(Quiet) { ["NasPacs:Security:LoginAttemptsPerMinute"] = "2" });
        using var browser = factory.CreateCookieClient();

        using var first = await BrowserSession.PostLoginAsync(browser, "someone", "wrong-password-1");
        using var second = await BrowserSession.PostLoginAsync(browser, "someone-else", "wrong-password-2");
        using var third = await BrowserSession.PostLoginAsync(browser, "admin", factory.AdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    [Fact]
    public async Task Api_TooManyRequestsFromOneUser_Returns429()
    {
        using var factory = new ApiFactory(new(Quiet) { ["NasPacs:Security:ApiRequestsPerMinute"] = "10" });
        using var client = factory.CreateClient("viewer");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var response = await client.GetAsync("/api/auth/session");
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }

    [Fact]
    public async Task DisabledUser_TokenAndSession_AreRefused()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var viewer = factory.CreateClient("viewer");
        using var browser = factory.CreateCookieClient();
        await BrowserSession.SignInAsync(browser, "viewer-user", ApiFactory.PasswordOf("viewer"));
        var id = await admin.UserIdAsync("viewer-user");

        using var disable = await admin.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });
        using var byToken = await viewer.GetAsync("/api/search");
        using var bySession = await browser.GetAsync("/api/search");
        using var signIn = await BrowserSession.PostLoginAsync(factory.CreateCookieClient(), "viewer-user", ApiFactory.PasswordOf("viewer"));

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, byToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bySession.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task RoleChange_EndsSessionsAndTakesEffect()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/users", new { name = "ruth", role = "operator", password = "ruth-password-123" });
        var id = (await created.BodyAsync()).GetProperty("id").GetInt64();
        using var browser = factory.CreateCookieClient();
        await BrowserSession.SignInAsync(browser, "ruth", "ruth-password-123");

        using var demote = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "viewer" });
        using var old = await browser.GetAsync("/api/search");
        var csrf = await BrowserSession.SignInAsync(browser, "ruth", "ruth-password-123");
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/index/start?root=sample");
        start.Headers.Add(BrowserSession.CsrfHeader, csrf);
        using var denied = await browser.SendAsync(start);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task LastAdmin_CannotBeDemotedOrDisabled()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        var id = await admin.UserIdAsync("admin");

        using var demote = await admin.PutAsJsonAsync($"/api/users/{id}", new { role = "viewer" });
        using var disable = await admin.PutAsJsonAsync($"/api/users/{id}", new { disabled = true });

        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
    }

    [Fact]
    public async Task ApiToken_Revoked_Returns401()
    {
        using var factory = new ApiFactory(Quiet);
        using var admin = factory.CreateClient();
        using var created = await admin.PostAsJsonAsync("/api/auth/tokens", new { name = "backup script" });
        var body = await created.BodyAsync();
        using var script = factory.CreateAnonymousClient();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("secret").GetString());

        using var before = await script.GetAsync("/api/search");
        using var revoke = await admin.DeleteAsync($"/api/auth/tokens/{body.GetProperty("token").GetProperty("id").GetInt64()}");
        using var after = await script.GetAsync("/api/search");
        var listed = await admin.GetStringAsync("/api/auth/tokens");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain(body.GetProperty("secret").GetString()!, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var factory = new ApiFactory(Quiet);
        using var browser = factory.CreateCookieClient();
        var csrf = await BrowserSession.SignInAsync(browser, "admin", factory.AdminPassword);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        request.Headers.Add(BrowserSession.CsrfHeader, csrf);
        using var signOut = await browser.SendAsync(request);
        using var after = await browser.GetAsync("/api/search");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }
}
