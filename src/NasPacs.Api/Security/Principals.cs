using System.Globalization;
using System.Security.Claims;

namespace NasPacs.Api.Security;

/// <summary>The claims a session or token carries, and reading them back.</summary>
internal static class Principals
{
    public const string StampClaim = "naspacs:stamp";

    public static ClaimsPrincipal Create(SignedInUser user, string scheme)
        => new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Name),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(StampClaim, user.Stamp),
            ],
            scheme,
            ClaimTypes.Name,
            ClaimTypes.Role));

    public static long? Id(this ClaimsPrincipal principal)
        => long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static string? Role(this ClaimsPrincipal principal) => principal.FindFirstValue(ClaimTypes.Role);

    /// <summary>Whether the request was authenticated by the browser session cookie (not by an API token).</summary>
    public static bool IsCookieSession(this ClaimsPrincipal principal)
        => principal.Identity is { IsAuthenticated: true, AuthenticationType: SecuritySchemes.Cookie };
}

/// <summary>The authentication scheme names.</summary>
internal static class SecuritySchemes
{
    /// <summary>Chooses <see cref="Token"/> for <c>Authorization: Bearer</c>, else <see cref="Cookie"/>.</summary>
    public const string Smart = "NasPacs";

    public const string Cookie = "NasPacs.Cookie";

    public const string Token = "NasPacs.Token";
}
