using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace NasPacs.Api.Security;

/// <summary>
/// The optional OpenID Connect scheme: the provider's id_token (validated for issuer, audience, lifetime, nonce and
/// signature by the handler) becomes a NasPacs session cookie with the mapped role. Users are not stored locally: the
/// provider decides who they are at each sign-in, and the session ends after <see cref="SecurityOptions.SessionLifetime"/>.
/// </summary>
internal static class OidcSignIn
{
    public const string Scheme = "NasPacs.Oidc";

    /// <summary>The claim that marks a session started through the provider (its value is the issuer).</summary>
    public const string ProviderClaim = "naspacs:idp";

    /// <summary>Where the sign-in page's "Sign in with …" button goes.</summary>
    public const string StartPath = "/api/auth/oidc/signin";

    /// <summary>Where the provider sends the browser back with the code.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Why an OIDC sign-in was refused, shown by the sign-in page (<c>?sso=…</c>; fixed codes, never provider text).</summary>
    public const string NoRole = "no-role";

    public const string Failed = "failed";

    public static AuthenticationBuilder AddNasPacsOidc(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var services = authentication.Services;
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OidcOptions>>(s => new OidcOptionsValidator(configuration));
        var enabled = configuration.GetSection(OidcOptions.Section).Get<OidcOptions>()?.Enabled == true;
        if (!enabled)
        {
            return authentication;
        }

        authentication.AddOpenIdConnect(Scheme, "OpenID Connect", _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcOptions>, IOptions<HttpsOptions>>((o, oidc, https) => Configure(o, oidc.Value, https.Value));
        return authentication;
    }

    private static void Configure(OpenIdConnectOptions o, OidcOptions oidc, HttpsOptions https)
    {
        o.SignInScheme = SecuritySchemes.Cookie;
        o.Authority = oidc.Authority;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.UsePkce = true;

        // The code comes back in the query of a top-level GET: the correlation and nonce cookies can stay SameSite=Lax,
        // which browsers send over plain HTTP too (form_post would need SameSite=None and Secure).
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy = https.Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        o.CallbackPath = CallbackPath;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.MapInboundClaims = false;
        o.Scope.Clear();
        o.Scope.Add("openid");
        foreach (var scope in oidc.Scopes.Count == 0 ? ["profile"] : oidc.Scopes)
        {
            o.Scope.Add(scope);
        }

        o.Events.OnTokenValidated = context => SignInAsync(context, oidc);
        o.Events.OnRemoteFailure = context =>
        {
            // A refused or broken sign-in lands on the sign-in page with a fixed reason, not an exception page.
            var reason = context.Failure?.Message == NoRole ? NoRole : Failed;
            if (reason == Failed)
            {
                context.HttpContext.RequestServices.GetRequiredService<AuditLog>().Write(new AuditEntry(
                    "sign-in failed", null, null, "idp=oidc", StatusCodes.Status401Unauthorized, context.HttpContext.Connection.RemoteIpAddress?.ToString()));
            }

            context.Response.Redirect("/login.html?sso=" + reason);
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Maps the provider's user onto a NasPacs session, or refuses a user without a mapped role.</summary>
    private static Task SignInAsync(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context, OidcOptions oidc)
    {
        var external = context.Principal!;
        var issuer = external.FindFirstValue("iss") ?? oidc.Authority ?? "";
        var name = external.FindFirstValue(oidc.NameClaim) ?? external.FindFirstValue("email") ?? external.FindFirstValue("sub") ?? "";
        var role = MapRole(external, oidc);
        var audit = context.HttpContext.RequestServices.GetRequiredService<AuditLog>();
        var address = context.HttpContext.Connection.RemoteIpAddress?.ToString();
        var target = $"user={Truncate(name)} idp=oidc";
        if (role is null)
        {
            audit.Write(new AuditEntry("sign-in refused", name, null, target + " (no mapped role)", StatusCodes.Status403Forbidden, address));
            context.Fail(NoRole);
            return Task.CompletedTask;
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(ClaimTypes.Role, role),
                new Claim(ProviderClaim, issuer),
                new Claim("sub", external.FindFirstValue("sub") ?? ""),
            ],
            SecuritySchemes.Cookie,
            ClaimTypes.Name,
            ClaimTypes.Role));
        context.Properties!.RedirectUri = "/login.html";
        audit.Write(new AuditEntry("sign-in", name, null, $"{target} role={role}", StatusCodes.Status200OK, address));
        return Task.CompletedTask;
    }

    /// <summary>The highest role any of the user's claim values maps to, else <see cref="OidcOptions.DefaultRole"/>, else none.</summary>
    internal static string? MapRole(ClaimsPrincipal user, OidcOptions oidc)
    {
        string? best = null;
        foreach (var value in ClaimValues(user, oidc.RoleClaim))
        {
            if (oidc.Roles.TryGetValue(value, out var role) && Rank(role) > Rank(best))
            {
                best = role;
            }
        }

        return best ?? (Security.Roles.IsValid(oidc.DefaultRole) ? oidc.DefaultRole : null);
    }

    /// <summary>The values of a claim that may be a string, repeated, or a JSON array (as providers send groups).</summary>
    private static IEnumerable<string> ClaimValues(ClaimsPrincipal user, string type)
    {
        foreach (var claim in user.FindAll(type))
        {
            if (claim.Value.StartsWith('['))
            {
                using var array = JsonDocument.Parse(claim.Value);
                foreach (var item in array.RootElement.EnumerateArray())
                {
                    yield return item.ToString();
                }
            }
            else
            {
                yield return claim.Value;
            }
        }
    }

    private static int Rank(string? role) => role is null ? -1 : Array.IndexOf([.. Security.Roles.All], role);

    private static string Truncate(string value) => value.Length <= 100 ? value : value[..100];
}
