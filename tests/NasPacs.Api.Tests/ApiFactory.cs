using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NasPacs.Testing;

namespace NasPacs.Api.Tests;

/// <summary>
/// The real server over a temporary data folder: real SQLite files, real folders as NAS roots. Settings are passed as
/// configuration keys exactly as an operator would set them (NasPacs:Roots:{name}:Path, …).
/// <para>
/// Sign-in is real too: the first admin is created from <see cref="AdminPassword"/> (<c>NasPacs:Security:AdminPassword</c>),
/// and <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> sends a personal API token of that admin, minted
/// through the real sign-in and token routes. <see cref="CreateClient(string)"/> does the same for a user of another
/// role (created through the users route); <see cref="CreateAnonymousClient"/> sends nothing.
/// </para>
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new(StringComparer.Ordinal);

    /// <param name="settings">Configuration keys, as an operator would set them.</param>
    /// <param name="services">Changes to the composed services, for tests that must observe what cannot be seen from outside.</param>
    public ApiFactory(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _services = services;
        Data = new TempFolder("naspacs-api");
        AdminPassword = "admin-" + Guid.NewGuid().ToString("N");
        _settings = new Dictionary<string, string?>(settings ?? [], StringComparer.OrdinalIgnoreCase)
        {
            ["NasPacs:DataPath"] = Data.Path,
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }

        _settings.TryAdd("NasPacs:Security:AdminPassword", AdminPassword);
        AdminPassword = _settings["NasPacs:Security:AdminPassword"]!;
    }

    public TempFolder Data { get; }

    /// <summary>Every line the server logged (at every level), for tests that look for what must not be logged.</summary>
    public Security.LogCapture Logs { get; } = new();

    /// <summary>The password of the first user, <c>admin</c>.</summary>
    public string AdminPassword { get; }

    /// <summary>The password of the user <c>{role}-user</c> that <see cref="CreateClient(string)"/> creates.</summary>
    public static string PasswordOf(string role) => $"{role}-password-for-tests";

    /// <summary>Throttles runs so that a test can act while one is active (the sample has 49 files: ~2.5 s at 20 files/s).</summary>
    public static Dictionary<string, string?> Slow(Dictionary<string, string?>? settings = null)
    {
        var result = new Dictionary<string, string?>(settings ?? []) { ["NasPacs:Indexing:MaxFilesPerSecond"] = "20" };
        return result;
    }

    /// <summary>A client with an API token of a user of <paramref name="role"/> (admin, operator or viewer).</summary>
    public HttpClient CreateClient(string role)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenOf(role));
        return client;
    }

    /// <summary>A client that sends no credentials (it keeps cookies, like a browser).</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    /// <summary>An API token of <c>{role}-user</c> (of <c>admin</c> for the admin role), minted once per factory.</summary>
    public string TokenOf(string role)
        => Task.Run(() => _tokens.GetOrAdd(role, r => new Lazy<Task<string>>(() => MintTokenAsync(r))).Value).GetAwaiter().GetResult();

    /// <summary>
    /// Serves on Kestrel at the addresses of the setting <c>urls</c> (e.g. <c>http://127.0.0.1:0</c>) instead of the
    /// in-memory test server, for tests that need real connections (TLS, redirects to another process, client
    /// addresses). Returns the addresses Kestrel listens on. The token and cookie clients above need the test server.
    /// </summary>
    public IReadOnlyList<string> StartKestrel()
    {
        UseKestrel();
        StartServer();
        return [.. Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Select(a => a.TrimEnd('/'))];
    }

    /// <summary>
    /// Starts the server expecting a wrong setting to stop it, and returns that problem: the host's own exception, or
    /// the program's (its start-up check), which the factory hands over wrapped when it ends the program first.
    /// </summary>
    public Microsoft.Extensions.Options.OptionsValidationException StartFailure()
    {
        var ex = Assert.ThrowsAny<Exception>(() => CreateClient());
        var problem = ex as Microsoft.Extensions.Options.OptionsValidationException
            ?? (ex as AggregateException)?.Flatten().InnerExceptions.OfType<Microsoft.Extensions.Options.OptionsValidationException>().FirstOrDefault();
        Assert.True(problem is not null, $"The start failed for another reason: {ex}");
        return problem;
    }

    /// <summary>A client of its own that keeps cookies, as a browser does (no token).</summary>
    public HttpClient CreateCookieClient()
        => new(new CookieContainerHandler { InnerHandler = Server.CreateHandler() }) { BaseAddress = Server.BaseAddress };

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenOf("admin"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<Security.LogCapture>(null, LogLevel.Trace));
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Data.Dispose();
        }
    }

    private async Task<string> MintTokenAsync(string role)
    {
        var name = role == "admin" ? "admin" : role + "-user";
        var password = role == "admin" ? AdminPassword : PasswordOf(role);
        if (role != "admin")
        {
            using var admin = CreateCookieClient();
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Task.Run(() => TokenOf("admin")).ConfigureAwait(false));
            using var created = await admin.PostAsJsonAsync("/api/users", new { name, role, password }).ConfigureAwait(false);
            created.EnsureSuccessStatusCode();
        }

        using var browser = CreateCookieClient();
        var csrf = await BrowserSession.SignInAsync(browser, name, password).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/tokens") { Content = JsonContent.Create(new { name = "tests" }) };
        request.Headers.Add(BrowserSession.CsrfHeader, csrf);
        using var response = await browser.SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        return body.GetProperty("secret").GetString()!;
    }
}

/// <summary>What the sign-in page does, for a cookie-keeping <see cref="HttpClient"/>.</summary>
public static class BrowserSession
{
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>The antiforgery token of the client's current session (signed in or not).</summary>
    public static async Task<string> CsrfAsync(HttpClient client)
    {
        var session = await client.GetFromJsonAsync<JsonElement>("/api/auth/session").ConfigureAwait(false);
        return session.GetProperty("csrf").GetString()!;
    }

    /// <summary>POSTs the sign-in form with its antiforgery token; the response is the caller's to dispose.</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string name, string password)
    {
        var csrf = await CsrfAsync(client).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { name, password }) };
        request.Headers.Add(CsrfHeader, csrf);
        return await client.SendAsync(request).ConfigureAwait(false);
    }

    /// <summary>Signs in and returns the new session's antiforgery token.</summary>
    public static async Task<string> SignInAsync(HttpClient client, string name, string password)
    {
        using var response = await PostLoginAsync(client, name, password).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in as {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }

        return await CsrfAsync(client).ConfigureAwait(false);
    }
}

internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpClient client, string url)
        => await client.GetFromJsonAsync<JsonElement>(url);

    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response)
        => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>The id of the user <paramref name="name"/>, as the users route lists it (the client must be an admin's).</summary>
    public static async Task<long> UserIdAsync(this HttpClient admin, string name)
        => (await admin.JsonAsync("/api/users")).EnumerateArray().Single(u => u.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    /// <summary>Polls the status of <paramref name="root"/> until its phase is one of <paramref name="phases"/>.</summary>
    public static async Task<JsonElement> WaitForPhaseAsync(this HttpClient client, string root, params string[] phases)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await client.JsonAsync($"/api/index/status?root={root}");
            var entry = status.GetProperty("roots")[0];
            if (entry.GetProperty("status").ValueKind == JsonValueKind.Object
                && phases.Contains(entry.GetProperty("status").GetProperty("phase").GetString())
                && (phases.Contains("completed") || phases.Contains("cancelled") || phases.Contains("failed") ? !entry.GetProperty("active").GetBoolean() : true))
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Root {root} did not reach {string.Join("/", phases)}: {entry}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The repository's sample NAS folder (64 synthetic files and one broken .dcm).</summary>
    public static string RepositorySamples() => Path.Combine(Repository.Root, "samples", "nas");
}
