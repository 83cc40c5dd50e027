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

    /// <summary>Base64url characters whose 6 bits end in two zero bits.</summary>
    private const string LastCharacters = "AEIMQUYcgkosw048";

    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Characters in a token (base64url without padding).</summary>
    public const int TokenLength = 43;

    public static string Create() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    /// <summary>
    /// Whether <paramref name="token"/> has a token's shape: exactly 43 base64url characters (RFC 4648 §5) whose last one
    /// carries only the 4 remaining bits of 32 bytes (its 2 low bits zero), as every token this class makes does.
    /// </summary>
    public static bool IsWellFormed(string? token)
        => token is { Length: TokenLength }
           && !token.AsSpan().ContainsAnyExcept(UrlSafe)
           && LastCharacters.Contains(token[^1]);

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>Compares two hashes in time that does not depend on where they differ.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);
}
