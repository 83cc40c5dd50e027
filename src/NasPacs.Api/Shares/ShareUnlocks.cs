using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using NasPacs.Sharing;

namespace NasPacs.Api.Shares;

/// <summary>
/// Remembers in the browser that a link's password was given: an HttpOnly cookie scoped to the link's path whose value is
/// the data-protected, time-limited hash of the link's token (so it proves nothing for any other link and holds no secret).
/// </summary>
internal sealed class ShareUnlocks(IDataProtectionProvider protection, IOptions<ShareLinkOptions> options, TimeProvider time)
{
    private const string CookieName = "naspacs_unlock";
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("NasPacs.Shares.Unlock.v1").ToTimeLimitedDataProtector();

    public bool IsUnlocked(HttpContext context, string token)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return false;
        }

        try
        {
            var proof = _protector.Unprotect(value);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(proof), Encoding.ASCII.GetBytes(Proof(token)));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Unlock(HttpContext context, string token, ShareInfo share)
    {
        var lifetime = share.ExpiresAt - time.GetUtcNow();
        if (lifetime > options.Value.UnlockLifetime)
        {
            lifetime = options.Value.UnlockLifetime;
        }

        context.Response.Cookies.Append(CookieName, _protector.Protect(Proof(token), lifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/s/" + token,
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    private static string Proof(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
