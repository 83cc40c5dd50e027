using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>Composes sign-in, roles, antiforgery, rate limits, HTTPS and the audit log into the server.</summary>
internal static class SecurityServiceCollectionExtensions
{
    /// <summary>The request header that carries the antiforgery token of a browser session.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    /// <summary>The rate-limit policy of the sign-in route: attempts per client address per minute.</summary>
    public const string LoginRateLimit = "login";

    public static IServiceCollection AddNasPacsSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateOnStart();
        services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.Section).ValidateOnStart();
        services.AddSingleton<SecurityOptionsValidator>();
        services.AddSingleton<IValidateOptions<SecurityOptions>>(s => s.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<IValidateOptions<HttpsOptions>>(s => s.GetRequiredService<SecurityOptionsValidator>());
        services.AddSingleton<SecurityDatabase>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<AdminBootstrap>();
        services.AddKeyRing(configuration);
        services.AddReverseProxy();

        services.AddAuthentication(SecuritySchemes.Smart)
            .AddPolicyScheme(SecuritySchemes.Smart, "Session cookie or API token", o =>
                o.ForwardDefaultSelector = context => ApiTokenHandler.BearerToken(context.Request) is null ? SecuritySchemes.Cookie : SecuritySchemes.Token)
            .AddCookie(SecuritySchemes.Cookie)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(SecuritySchemes.Token, null)
            .AddNasPacsOidc(configuration);
        services.AddOptions<CookieAuthenticationOptions>(SecuritySchemes.Cookie)
            .Configure<IOptions<SecurityOptions>, IOptions<HttpsOptions>>((cookie, security, https) => ConfigureCookie(cookie, security.Value, https.Value));

        var builder = services.AddAuthorizationBuilder();
        foreach (var access in new[] { Access.Viewer, Access.Operator, Access.Admin })
        {
            builder.AddPolicy(SecurityEndpoints.PolicyName(access), p => p.RequireAuthenticatedUser().RequireRole(Roles.Granting(access)));
        }

        // An endpoint that the table does not cover is denied to everyone. A URL that matches no endpoint at all is
        // left to routing (404) for a signed-in caller; an anonymous caller learns nothing about it (401).
        builder.SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true && context.Resource is HttpContext http && http.GetEndpoint() is null)
            .Build());

        services.AddAntiforgery();
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<HttpsOptions>>((o, https) =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "naspacs.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = https.Value.Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SecurityOptions>>((o, security) => ConfigureRateLimits(o, security.Value));

        // Without a configured port the redirect goes to the port of the https:// address the server listens on.
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<HttpsOptions>>((o, https) => o.HttpsPort = https.Value.Port);
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((o, https) => o.MaxAge = https.Value.HstsMaxAge);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<HttpsOptions>>((kestrel, https) =>
        {
            var settings = https.Value;
            if (settings.Enabled && !string.IsNullOrWhiteSpace(settings.CertificatePath))
            {
                kestrel.ConfigureHttpsDefaults(h => h.ServerCertificate = LoadCertificate(settings));
            }
        });
        return services;
    }

    /// <summary>HSTS and the redirect to HTTPS, when <c>NasPacs:Https:Enabled</c>.</summary>
    public static IApplicationBuilder UseTransportSecurity(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<IOptions<HttpsOptions>>().Value.Enabled)
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions cookie, SecurityOptions security, HttpsOptions https)
    {
        cookie.Cookie.Name = "naspacs.session";
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = https.Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.ExpireTimeSpan = security.SessionLifetime;
        cookie.SlidingExpiration = true;
        cookie.LoginPath = "/login.html";
        cookie.Events.OnRedirectToLogin = context =>
        {
            // The API answers 401; a page goes to the sign-in page.
            if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/openapi"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }
            else
            {
                context.Response.Redirect("/login.html");
            }

            return Task.CompletedTask;
        };
        cookie.Events.OnRedirectToAccessDenied = context =>
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        };
        cookie.Events.OnValidatePrincipal = async context =>
        {
            // A disabled user, a new role or a reset password (a new stamp) ends the session at the next request. A
            // session from the identity provider has no local user: the provider decided at sign-in, and the session
            // ends with its lifetime.
            if (context.Principal?.FindFirst(OidcSignIn.ProviderClaim) is not null)
            {
                return;
            }

            var id = context.Principal?.Id();
            var current = id is null ? null : context.HttpContext.RequestServices.GetRequiredService<UserStore>().FindActive(id.Value);
            if (current is null || current.Stamp != context.Principal!.FindFirst(Principals.StampClaim)?.Value)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(SecuritySchemes.Cookie).ConfigureAwait(false);
            }
        };
    }

    private static void ConfigureRateLimits(RateLimiterOptions options, SecurityOptions security)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = async (context, cancellationToken) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            await TypedResults.Problem("Too many requests. Wait and try again.", statusCode: StatusCodes.Status429TooManyRequests, title: "Rate limit reached.")
                .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
        };

        // The API, per signed-in user (per address before sign-in), as a token bucket refilled every second.
        var perMinute = security.ApiRequestsPerMinute;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            !context.Request.Path.StartsWithSegments("/api")
                ? RateLimitPartition.GetNoLimiter("")
                : RateLimitPartition.GetTokenBucketLimiter(
                    context.User.Identity?.IsAuthenticated == true ? "user:" + context.User.Identity.Name : "address:" + Address(context),
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perMinute,
                        TokensPerPeriod = Math.Max(1, perMinute / 60),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                    }));

        options.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
            Address(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = security.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static X509Certificate2 LoadCertificate(HttpsOptions settings)
        => string.IsNullOrWhiteSpace(settings.KeyPath)
            ? X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath!, settings.CertificatePassword)
            : string.IsNullOrEmpty(settings.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(settings.CertificatePath!, settings.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(settings.CertificatePath!, settings.CertificatePassword, settings.KeyPath);
}
