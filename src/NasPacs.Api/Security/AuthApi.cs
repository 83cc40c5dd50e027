using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>Sign-in, sign-out, the session (with its antiforgery token) and personal API tokens.</summary>
internal static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Auth");
        group.MapGet("/session", Session).WithName("GetSession")
            .WithSummary("The signed-in user (if any) and the antiforgery token to send as X-CSRF-TOKEN.");
        group.MapPost("/login", LoginAsync).WithName("SignIn").WithSummary("Signs in with a user name and password (a session cookie).")
            .RequireRateLimiting(SecurityServiceCollectionExtensions.LoginRateLimit)
            .WithMetadata(new AntiforgeryRequired());
        group.MapPost("/logout", (Func<HttpContext, Task<NoContent>>)LogoutAsync).WithName("SignOut");
        group.MapGet("/tokens", ListTokens).WithName("ListApiTokens").WithSummary("The caller's personal API tokens (never their secrets).");
        group.MapPost("/tokens", CreateToken).WithName("CreateApiToken").WithSummary("Creates a personal API token; its secret is shown once.");
        group.MapDelete("/tokens/{id:long}", RevokeToken).WithName("RevokeApiToken");
        group.MapGet("/oidc/signin", StartSingleSignOn).WithName("SignInWithProvider")
            .WithSummary("Starts a sign-in at the configured OpenID Connect provider (404 when none is configured).");
        return group;
    }

    private static Ok<SessionResponse> Session(HttpContext context, IAntiforgery antiforgery, IOptions<OidcOptions> oidc)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var user = context.User;
        return TypedResults.Ok(new SessionResponse(
            user.Identity?.IsAuthenticated == true,
            user.Identity?.IsAuthenticated == true ? new SessionUser(user.Id() ?? 0, user.Identity.Name ?? "", user.Role() ?? "") : null,
            tokens.RequestToken ?? "",
            oidc.Value.Enabled ? new SingleSignOn("Sign in with " + oidc.Value.DisplayName, OidcSignIn.StartPath) : null));
    }

    private static Results<ChallengeHttpResult, NotFound> StartSingleSignOn(IOptions<OidcOptions> oidc)
        => oidc.Value.Enabled
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = "/login.html" }, [OidcSignIn.Scheme])
            : TypedResults.NotFound();

    private static async Task<Results<Ok<SessionUser>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request, HttpContext context, UserStore users, LoginThrottle throttle, AuditLog audit)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Password) || request.Name.Length > 64 || request.Password.Length > 256)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = ["Enter a user name and a password."] },
                title: "One or more fields are not valid.");
        }

        var name = request.Name.Trim();
        var address = context.Connection.RemoteIpAddress?.ToString();

        // A name that is no user is recorded as such: people type passwords into the name field.
        var target = users.Exists(name) ? "user=" + name : "user=(unknown)";
        if (throttle.RetryAfter(name) is { } wait)
        {
            audit.Write(new AuditEntry("sign-in throttled", null, null, target, StatusCodes.Status429TooManyRequests, address));
            context.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                "Too many failed sign-ins for this user. Wait and try again.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Sign-in is throttled.");
        }

        var user = users.VerifyPassword(name, request.Password);
        if (user is null)
        {
            throttle.Failed(name);
            audit.Write(new AuditEntry("sign-in failed", null, null, target, StatusCodes.Status401Unauthorized, address));
            return TypedResults.Problem("Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.");
        }

        throttle.Succeeded(name);
        await context.SignInAsync(SecuritySchemes.Cookie, Principals.Create(user, SecuritySchemes.Cookie)).ConfigureAwait(false);
        audit.Write(new AuditEntry("sign-in", user.Name, user.Id, "user=" + user.Name, StatusCodes.Status200OK, address));
        return TypedResults.Ok(new SessionUser(user.Id, user.Name, user.Role));
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(SecuritySchemes.Cookie).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static Ok<IReadOnlyList<TokenInfo>> ListTokens(HttpContext context, UserStore users)
        => TypedResults.Ok(users.ListTokens(context.User.Id() ?? 0));

    private static Results<Created<CreatedToken>, ValidationProblem> CreateToken(CreateTokenRequest request, HttpContext context, UserStore users)
    {
        if (context.User.Id() is null)
        {
            // A user of the identity provider has no local account that a token could act for.
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = ["API tokens belong to local users; ask an admin for a local account for scripts."] },
                title: "One or more fields are not valid.");
        }

        try
        {
            var (token, secret) = users.CreateToken(context.User.Id() ?? 0, request.Name);
            AuditTarget.Add(context, string.Create(CultureInfo.InvariantCulture, $"token={token.Id}"));
            return TypedResults.Created(string.Create(CultureInfo.InvariantCulture, $"/api/auth/tokens/{token.Id}"), new CreatedToken(token, secret));
        }
        catch (SecurityRequestException ex)
        {
            return SecurityProblems.Invalid(ex);
        }
    }

    private static Results<NoContent, NotFound> RevokeToken(long id, HttpContext context, UserStore users)
        => users.RevokeToken(context.User.Id() ?? 0, id) ? TypedResults.NoContent() : TypedResults.NotFound();
}

internal sealed record LoginRequest(string? Name, string? Password);

internal sealed record SessionUser(long Id, string Name, string Role);

internal sealed record SessionResponse(bool Authenticated, SessionUser? User, string Csrf, SingleSignOn? Sso);

/// <summary>The identity provider the sign-in page offers: the button's text and where it goes.</summary>
internal sealed record SingleSignOn(string Label, string Url);

internal sealed record CreateTokenRequest(string? Name);

/// <summary>A new token: <see cref="Secret"/> is shown this once.</summary>
internal sealed record CreatedToken(TokenInfo Token, string Secret);

internal static class SecurityProblems
{
    public static ValidationProblem Invalid(SecurityRequestException ex)
        => TypedResults.ValidationProblem(ex.Errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "One or more fields are not valid.");

    public static ProblemHttpResult Conflict(SecurityRequestException ex)
        => TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "The change conflicts with the current users.");
}
