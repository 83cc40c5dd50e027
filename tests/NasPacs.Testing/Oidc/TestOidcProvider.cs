using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NasPacs.Testing.Oidc;

/// <summary>
/// A small but real OpenID Connect provider on Kestrel at 127.0.0.1 (a free port) for tests: discovery document, JWKS
/// with an RSA key, an authorize endpoint that signs in <see cref="User"/> without a form, and a token endpoint that
/// checks the client, the redirect URI and the PKCE verifier (S256 only) and issues an RS256-signed id_token.
/// <para>
/// Knobs make it misbehave the ways a test needs: sign with a key that the JWKS does not publish, name another issuer or
/// audience, or return another nonce. <see cref="Requests"/> records what the relying party sent.
/// </para>
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    private TestOidcProvider(WebApplication app) => _app = app;

    /// <summary>The issuer, <c>http://127.0.0.1:{port}</c>.</summary>
    public string Authority { get; private set; } = "";

    public string ClientId { get; init; } = "naspacs";

    public string ClientSecret { get; init; } = "test-client-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>The user the authorize endpoint signs in: claims of the id_token besides the protocol ones.</summary>
    public Dictionary<string, object> User { get; } = new(StringComparer.Ordinal) { ["sub"] = "u-1001", ["preferred_username"] = "dr.test" };

    /// <summary>Sign id_tokens with this key instead of the published one (a forged token).</summary>
    public RSA? SignWith { get; set; }

    /// <summary>Put this issuer into id_tokens instead of <see cref="Authority"/>.</summary>
    public string? IssuerOverride { get; set; }

    /// <summary>Put this audience into id_tokens instead of <see cref="ClientId"/>.</summary>
    public string? AudienceOverride { get; set; }

    /// <summary>Put this nonce into id_tokens instead of the one the client sent.</summary>
    public string? NonceOverride { get; set; }

    /// <summary>Every authorize and token request, as "path?query" or "path form", in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>How many id_tokens were issued.</summary>
    public int TokensIssued => _tokensIssued;

    private int _tokensIssued;

    public static async Task<TestOidcProvider> StartAsync(Action<TestOidcProvider>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new TestOidcProvider(app);
        configure?.Invoke(provider);
        app.MapGet("/.well-known/openid-configuration", provider.Discovery);
        app.MapGet("/jwks", provider.Jwks);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync().ConfigureAwait(false);
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    /// <summary>
    /// The NasPacs settings that point the server at this provider (plain HTTP on loopback, so metadata over HTTPS is not
    /// required) with <paramref name="roles"/> as claim value → role.
    /// </summary>
    public Dictionary<string, string?> ServerSettings(string displayName, params (string Value, string Role)[] roles)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:Security:Oidc:Authority"] = Authority,
            ["NasPacs:Security:Oidc:ClientId"] = ClientId,
            ["NasPacs:Security:Oidc:ClientSecret"] = ClientSecret,
            ["NasPacs:Security:Oidc:DisplayName"] = displayName,
            ["NasPacs:Security:Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var (value, role) in roles)
        {
            settings["NasPacs:Security:Oidc:Roles:" + value] = role;
        }

        return settings;
    }

    /// <summary>Redirect URIs the client may use; empty allows any under 127.0.0.1 (the port of the server under test is not known up front).</summary>
    public HashSet<string> RedirectUris { get; } = new(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        _key.Dispose();
    }

    /// <summary>What this provider supports (OpenID Connect Discovery 1.0 §3), besides its URLs.</summary>
    private static readonly Dictionary<string, string[]> Supported = new(StringComparer.Ordinal)
    {
        ["response_types_supported"] = ["code"],
        ["response_modes_supported"] = ["query"],
        ["subject_types_supported"] = ["public"],
        ["id_token_signing_alg_values_supported"] = ["RS256"],
        ["code_challenge_methods_supported"] = ["S256"],
        ["token_endpoint_auth_methods_supported"] = ["client_secret_post", "client_secret_basic"],
        ["scopes_supported"] = ["openid", "profile"],
    };

    private IResult Discovery()
    {
        var document = new Dictionary<string, object>(Supported.ToDictionary(p => p.Key, p => (object)p.Value), StringComparer.Ordinal)
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
        };
        return Results.Json(document);
    }

    private IResult Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return Results.Json(new
        {
            keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64Url(parameters.Modulus!), e = Base64Url(parameters.Exponent!) } },
        });
    }

    private string KeyId => Base64Url(SHA256.HashData(_key.ExportRSAPublicKey()))[..16];

    private IResult Authorize(HttpRequest request)
    {
        Requests.Enqueue("/authorize" + request.QueryString);
        var q = request.Query;
        string redirect = q["redirect_uri"].ToString();
        if (q["client_id"] != ClientId || !AllowedRedirect(redirect))
        {
            return Results.BadRequest("unknown client or redirect_uri");
        }

        if (q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]) || !q["scope"].ToString().Split(' ').Contains("openid"))
        {
            return Results.Redirect(redirect + "?error=invalid_request&state=" + Uri.EscapeDataString(q["state"].ToString()));
        }

        var code = Base64Url(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new Grant(redirect, q["nonce"].ToString(), q["code_challenge"].ToString(), new Dictionary<string, object>(User));
        return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync().ConfigureAwait(false);
        Requests.Enqueue("/token " + string.Join('&', form.Keys.Order().Select(k => k == "client_secret" || k == "code_verifier" || k == "code" ? k + "=…" : $"{k}={form[k]}")));
        var (clientId, secret) = ClientCredentials(request, form);
        if (clientId != ClientId || secret != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant) || grant.RedirectUri != form["redirect_uri"])
        {
            return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        }

        // RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge.
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length is < 43 or > 128 || Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.Challenge)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "PKCE verification failed" }, statusCode: 400);
        }

        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new
        {
            access_token = Base64Url(RandomNumberGenerator.GetBytes(32)),
            token_type = "Bearer",
            expires_in = 300,
            id_token = IdToken(grant),
        });
    }

    private bool AllowedRedirect(string redirect)
        => RedirectUris.Count > 0 ? RedirectUris.Contains(redirect) : Uri.TryCreate(redirect, UriKind.Absolute, out var uri) && uri.Host == "127.0.0.1";

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"], form["client_secret"]);
    }

    private string IdToken(Grant grant)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>(grant.User)
        {
            ["iss"] = IssuerOverride ?? Authority,
            ["aud"] = AudienceOverride ?? ClientId,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
            ["nonce"] = NonceOverride ?? grant.Nonce,
        };
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = KeyId }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signed = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = (SignWith ?? _key).SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Grant(string RedirectUri, string Nonce, string Challenge, Dictionary<string, object> User);
}
