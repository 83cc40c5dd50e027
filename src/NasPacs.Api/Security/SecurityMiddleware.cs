using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;

namespace NasPacs.Api.Security;

/// <summary>The security steps of the request pipeline, in the order <c>Program.cs</c> uses them.</summary>
internal static class SecurityMiddleware
{
    /// <summary>
    /// A CSP without inline script or style, no framing, no MIME sniffing, no referrer (share tokens live in URLs), and
    /// no caching of API answers (they hold patient data).
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // A page that set a stricter policy of its own (the public share pages) keeps it.
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (context.Request.Path.StartsWithSegments("/api") && !headers.ContainsKey("Cache-Control"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>The app page (<c>/</c>, <c>/index.html</c>) sends a caller without a session to the sign-in page.</summary>
    public static IApplicationBuilder UseSignInPage(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (HttpMethods.IsGet(context.Request.Method) && (path == "/" || path == "/index.html"))
        {
            var result = await context.AuthenticateAsync().ConfigureAwait(false);
            if (!result.Succeeded)
            {
                context.Response.Redirect("/login.html");
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });

    /// <summary>
    /// Every state-changing request of a browser session (and the sign-in form) must carry the antiforgery header
    /// <see cref="SecurityServiceCollectionExtensions.AntiforgeryHeader"/>; requests with an API token are exempt (a
    /// browser never adds one on its own). Runs after authorization, so an anonymous caller gets 401, not 400.
    /// </summary>
    public static IApplicationBuilder UseCsrfCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!RoutePolicies.IsRead(context.Request.Method) && ApiTokenHandler.BearerToken(context.Request) is null)
        {
            var endpoint = context.GetEndpoint();
            var ownForm = endpoint?.Metadata.GetMetadata<IAntiforgeryMetadata>() is { RequiresValidation: true };
            var required = endpoint?.Metadata.GetMetadata<AntiforgeryRequired>() is not null
                           || (context.User.IsCookieSession() && endpoint?.Metadata.GetMetadata<RouteAccess>()?.Access != Access.Anonymous);
            if (required && !ownForm && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false))
            {
                await TypedResults.Problem(
                    "The request lacks a valid antiforgery token. Reload the page and try again.",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "Antiforgery token missing or invalid.",
                    type: "urn:naspacs:error:csrf").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    });

    /// <summary>
    /// Records every state-changing request of a signed-in caller on a table-covered route: method, route pattern, route
    /// values, the root named in the query, the status code (denials and failures included). The share (#5) and Orthanc
    /// (#6) routes are recorded here, so their handlers need nothing. Sign-in and sign-out record themselves.
    /// </summary>
    public static IApplicationBuilder UseAuditTrail(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (RoutePolicies.IsRead(context.Request.Method)
            || endpoint is not RouteEndpoint route
            || endpoint.Metadata.GetMetadata<RouteAccess>() is not { Access: not Access.Anonymous })
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var failed = true;
        try
        {
            await next(context).ConfigureAwait(false);
            failed = false;
        }
        finally
        {
            if (context.User.Identity?.IsAuthenticated == true && context.Items[AuditTarget.SkipKey] is null)
            {
                var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                context.RequestServices.GetRequiredService<AuditLog>().Write(new AuditEntry(
                    $"{context.Request.Method} {Pattern(route)}",
                    context.User.Identity.Name,
                    context.User.Id(),
                    AuditTarget.Describe(context),
                    status,
                    context.Connection.RemoteIpAddress?.ToString()));
            }
        }
    });

    /// <summary>The route pattern as written, without the trailing '/' a group's <c>MapPost("/")</c> leaves.</summary>
    private static string Pattern(RouteEndpoint route)
    {
        var text = route.RoutePattern.RawText ?? "";
        return text.Length > 1 ? text.TrimEnd('/') : text;
    }
}

/// <summary>What an audit row names: route values, the root in the query, and what a handler adds. Ids only.</summary>
internal static class AuditTarget
{
    public const string SkipKey = "naspacs.audit.skip";
    private const string DetailKey = "naspacs.audit.detail";

    /// <summary>Adds an id-only detail (a user id and role, a token id) to the request's audit row.</summary>
    public static void Add(HttpContext context, string detail) => context.Items[DetailKey] = detail;

    /// <summary>The handler wrote its own audit row.</summary>
    public static void Skip(HttpContext context) => context.Items[SkipKey] = true;

    public static string? Describe(HttpContext context)
    {
        var parts = context.Request.RouteValues
            .Where(v => v.Value is not null)
            .Select(v => string.Create(CultureInfo.InvariantCulture, $"{v.Key}={v.Value}"))
            .ToList();
        if (context.Request.Query.TryGetValue("root", out var root) && root.Count > 0)
        {
            parts.Add($"root={root[0]}");
        }

        if (context.Items[DetailKey] is string detail)
        {
            parts.Add(detail);
        }

        return parts.Count == 0 ? null : Truncate(string.Join(' ', parts), 500);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
