using System.Security.Cryptography;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Crypto;

/// <summary>The keys of one SMB session, derived per dialect (MS-SMB2 §3.2.5.3.1).</summary>
internal sealed class SessionKeys
{
    private SessionKeys(byte[] signingKey, byte[] encryptionKey, byte[] decryptionKey)
    {
        SigningKey = signingKey;
        EncryptionKey = encryptionKey;
        DecryptionKey = decryptionKey;
    }

    public byte[] SigningKey { get; }

    /// <summary>Client-to-server cipher key; empty when the dialect has no encryption.</summary>
    public byte[] EncryptionKey { get; }

    /// <summary>Server-to-client cipher key; empty when the dialect has no encryption.</summary>
    public byte[] DecryptionKey { get; }

    /// <summary>
    /// SMB 2.x signs with the session key itself; SMB 3.0/3.0.2 derive keys with fixed labels and contexts;
    /// SMB 3.1.1 uses the pre-authentication integrity hash as the context. The KDF is SP800-108 counter mode
    /// with HMAC-SHA256, which <see cref="SP800108HmacCounterKdf"/> implements exactly.
    /// </summary>
    public static SessionKeys Derive(SmbDialect dialect, byte[] sessionKey, SmbCipher cipher, ReadOnlySpan<byte> preauthHash)
    {
        // Keys are 16 bytes; a shorter session key is padded with zeros (MS-SMB2 §3.2.5.3.1).
        var key = new byte[16];
        sessionKey.AsSpan(0, Math.Min(16, sessionKey.Length)).CopyTo(key);
        if (dialect < SmbDialect.Smb300)
        {
            return new SessionKeys(key, [], []);
        }

        var cipherKeyLength = cipher is SmbCipher.Aes256Ccm or SmbCipher.Aes256Gcm ? 32 : 16;
        if (dialect == SmbDialect.Smb311)
        {
            return new SessionKeys(
                Kdf(key, "SMBSigningKey\0"u8, preauthHash, 16),
                Kdf(key, "SMBC2SCipherKey\0"u8, preauthHash, cipherKeyLength),
                Kdf(key, "SMBS2CCipherKey\0"u8, preauthHash, cipherKeyLength));
        }

        return new SessionKeys(
            Kdf(key, "SMB2AESCMAC\0"u8, "SmbSign\0"u8, 16),
            Kdf(key, "SMB2AESCCM\0"u8, "ServerIn \0"u8, 16),
            Kdf(key, "SMB2AESCCM\0"u8, "ServerOut\0"u8, 16));
    }

    private static byte[] Kdf(byte[] key, ReadOnlySpan<byte> label, ReadOnlySpan<byte> context, int length) =>
        SP800108HmacCounterKdf.DeriveBytes(key, HashAlgorithmName.SHA256, label, context, length);
}
