using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using NasPacs.Testing.Oidc;

namespace NasPacs.Api.Tests.Security;

/// <summary>
/// Issue #8: sign-in through an OpenID Connect provider. The provider is a real one on Kestrel
/// (<see cref="TestOidcProvider"/>), the server under test runs on Kestrel too, and a cookie-keeping
/// <see cref="HttpClient"/> follows the redirects as a browser does: authorization code with PKCE, id_token validated
/// for signature, issuer, audience and nonce, role mapped from a claim.
/// </summary>
public sealed class OidcSignInTests
{
    [Fact]
    public async Task SignIn_MappedRole_StartsASessionWithThatRoleAndAudits()
    {
        await using var idp = await TestOidcProvider.StartAsync();
        idp.User["roles"] = new[] { "radiology", "pacs-operators" };
        using var server = Start(idp, out var baseUrl);
        using var browser = Browser(baseUrl);

        var before = await browser.GetFromJsonAsync<JsonElement>("/api/auth/session");
        using var landed = await browser.GetAsync(before.GetProperty("sso").GetProperty("url").GetString());
        var session = await browser.GetFromJsonAsync<JsonElement>("/api/auth/session");

        Assert.Equal("Sign in with Hospital IdP", before.GetProperty("sso").GetProperty("label").GetString());
        Assert.Equal("/login.html", landed.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True(session.GetProperty("authenticated").GetBoolean());
        Assert.Equal("dr.test", session.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("operator", session.GetProperty("user").GetProperty("role").GetString());
        Assert.Equal(1, idp.TokensIssued);
        var authorize = idp.Requests.Single(r => r.StartsWith("/authorize", StringComparison.Ordinal));
        Assert.Contains("code_challenge_method=S256", authorize, StringComparison.Ordinal);
        Assert.Contains("response_type=code", authorize, StringComparison.Ordinal);
        Assert.Contains("code_verifier=", idp.Requests.Single(r => r.StartsWith("/token", StringComparison.Ordinal)), StringComparison.Ordinal);
        var audit = await AuditAsync(server, baseUrl, "sign-in");
        Assert.Contains(audit, row => row.Contains("\"action\":\"sign-in\"", StringComparison.Ordinal) && row.Contains("user=dr.test idp=oidc role=operator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_AdminRole_ReachesAdminRoutesButNotWithoutCsrf()
    {
        await using var idp = await TestOidcProvider.StartAsync();
        idp.User["roles"] = "pacs-admins";
        using var server = Start(idp, out var baseUrl);
        using var browser = Browser(baseUrl);

        using var landed = await browser.GetAsync("/api/auth/oidc/signin");
        using var users = await browser.GetAsync("/api/users");
        using var write = await browser.PostAsJsonAsync("/api/auth/tokens", new { name = "x" });

        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, write.StatusCode);
        Assert.Contains("csrf", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_NoRoleClaim_IsRefusedWithAReasonAndAudited()
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var server = Start(idp, out var baseUrl);
        using var browser = Browser(baseUrl);

        using var landed = await browser.GetAsync("/api/auth/oidc/signin");
        var session = await browser.GetFromJsonAsync<JsonElement>("/api/auth/session");

        Assert.Equal("/login.html?sso=no-role", landed.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.False(session.GetProperty("authenticated").GetBoolean());
        var audit = await AuditAsync(server, baseUrl, "sign-in refused");
        Assert.Contains(audit, row => row.Contains("user=dr.test idp=oidc", StringComparison.Ordinal) && row.Contains("\"status\":403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_UnmappedRoleWithDefaultRole_GetsTheDefault()
    {
        await using var idp = await TestOidcProvider.StartAsync();
        idp.User["roles"] = "cleaning";
        using var server = Start(idp, out var baseUrl, new() { ["NasPacs:Security:Oidc:DefaultRole"] = "viewer" });
        using var browser = Browser(baseUrl);

        using var landed = await browser.GetAsync("/api/auth/oidc/signin");
        var session = await browser.GetFromJsonAsync<JsonElement>("/api/auth/session");

        Assert.Equal("viewer", session.GetProperty("user").GetProperty("role").GetString());
    }

    public static TheoryData<string> Forgeries => ["other-key", "other-issuer", "other-audience", "other-nonce"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task SignIn_InvalidIdToken_IsRefused(string forgery)
    {
        using var otherKey = RSA.Create(2048);
        await using var idp = await TestOidcProvider.StartAsync();
        idp.User["roles"] = "pacs-admins";
        switch (forgery)
        {
            case "other-key": idp.SignWith = otherKey; break;
            case "other-issuer": idp.IssuerOverride = "http://127.0.0.1:1/evil"; break;
            case "other-audience": idp.AudienceOverride = "another-client"; break;
            default: idp.NonceOverride = "replayed-nonce"; break;
        }

        using var server = Start(idp, out var baseUrl);
        using var browser = Browser(baseUrl);

        using var landed = await browser.GetAsync("/api/auth/oidc/signin");
        var session = await browser.GetFromJsonAsync<JsonElement>("/api/auth/session");
        using var users = await browser.GetAsync("/api/users");

        Assert.Equal(1, idp.TokensIssued);
        Assert.Equal("/login.html?sso=failed", landed.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.False(session.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, users.StatusCode);
        var audit = await AuditAsync(server, baseUrl, "sign-in failed");
        Assert.Contains(audit, row => row.Contains("idp=oidc", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provider_WrongPkceVerifier_RefusesTheCode()
    {
        await using var idp = await TestOidcProvider.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var verifier = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        const string redirect = "http://127.0.0.1:9/cb";

        async Task<HttpResponseMessage> ExchangeAsync(string sentVerifier)
        {
            using var authorize = await client.GetAsync($"{idp.Authority}/authorize?client_id={idp.ClientId}&redirect_uri={Uri.EscapeDataString(redirect)}&response_type=code&scope=openid&state=s&nonce=n&code_challenge={challenge}&code_challenge_method=S256");
            var code = System.Web.HttpUtility.ParseQueryString(authorize.Headers.Location!.Query)["code"]!;
            return await client.PostAsync(idp.Authority + "/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirect, ["code_verifier"] = sentVerifier,
                ["client_id"] = idp.ClientId, ["client_secret"] = idp.ClientSecret,
            }));
        }

        using var wrong = await ExchangeAsync(verifier[..^1] + (verifier[^1] == 'A' ? 'B' : 'A'));
        using var right = await ExchangeAsync(verifier);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("PKCE", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Start_PlainClientSecretInSettingsFile_FailsNamingTheSetting()
    {
        // Validated the same way at every start: a JSON file is what an operator would commit by mistake.
        using var folder = new NasPacs.Testing.TempFolder("naspacs-oidc-json");
        var file = folder.Combine("appsettings.oidc.json");
        await File.WriteAllTextAsync(file, """{ "NasPacs": { "Security": { "Oidc": { "ClientSecret": "plain-text-secret" } } } }""");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(file)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["NasPacs:Security:Oidc:Authority"] = "https://idp.example", ["NasPacs:Security:Oidc:ClientId"] = "naspacs" })
            .Build();
        var options = new NasPacs.Api.Security.OidcOptions { Authority = "https://idp.example", ClientId = "naspacs", ClientSecret = "plain-text-secret" };

        var result = new NasPacs.Api.Security.OidcOptionsValidator(configuration).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("NasPacs:Security:Oidc:ClientSecret", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("plain-text-secret", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_OidcNotConfigured_OffersNoProviderAndStartIs404()
    {
        using var server = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = server.CreateAnonymousClient();

        var session = await client.GetFromJsonAsync<JsonElement>("/api/auth/session");
        using var start = await client.GetAsync("/api/auth/oidc/signin");

        Assert.Equal(JsonValueKind.Null, session.GetProperty("sso").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }

    private static ApiFactory Start(TestOidcProvider idp, out string baseUrl, Dictionary<string, string?>? extra = null)
    {
        var settings = idp.ServerSettings("Hospital IdP", ("pacs-admins", "admin"), ("pacs-operators", "operator"), ("radiology", "viewer"));
        settings["urls"] = "http://127.0.0.1:0";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var server = new ApiFactory(settings);
        baseUrl = server.StartKestrel()[0];
        return server;
    }

    private static HttpClient Browser(string baseUrl)
        => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = new Uri(baseUrl) };

    /// <summary>Audit rows whose action contains <paramref name="action"/>, as JSON text, read by the local admin.</summary>
    private static async Task<List<string>> AuditAsync(ApiFactory server, string baseUrl, string action)
    {
        using var admin = Browser(baseUrl);
        await BrowserSession.SignInAsync(admin, "admin", server.AdminPassword);
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/audit?action=" + Uri.EscapeDataString(action));
        return [.. page.GetProperty("items").EnumerateArray().Select(r => r.GetRawText())];
    }
}
