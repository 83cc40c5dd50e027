using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NasPacs.Sharing;

/// <summary>
/// Link tokens: 256 bits from the OS CSPRNG, written as 43 base64url characters. Only SHA-256 of the token is stored:
/// a 256-bit random secret cannot be guessed from its hash, so a slow hash would add nothing but latency.
/// </summary>
internal static class ShareTokens
{
    public const int TokenBytes = 32;

    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Characters in a token (base64url without padding).</summary>
    public const int TokenLength = 43;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>Whether <paramref name="token"/> has a token's shape: exactly 43 base64url characters that decode to 32 bytes.</summary>
    public static bool IsWellFormed(string? token)
    {
        // The decoder alone is lenient (it takes '+', '/' and more), so the alphabet is checked first (RFC 4648 §5).
        if (token is null || token.Length != TokenLength || token.AsSpan().ContainsAnyExcept(UrlSafe))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[TokenBytes + 2];
        return Base64Url.TryDecodeFromChars(token, bytes, out var written) && written == TokenBytes;
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>Compares two hashes in time that does not depend on where they differ.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
