using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace NasPacs.Smb.Crypto;

/// <summary>The three primitives .NET lacks, taken from BouncyCastle: MD4 (NTLM), RC4 (NTLM key exchange), AES-CMAC (SMB 3.0 signing).</summary>
internal static class Primitives
{
    public static byte[] Md4(ReadOnlySpan<byte> data)
    {
        var digest = new MD4Digest();
        digest.BlockUpdate(data);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }

    public static byte[] Rc4(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var engine = new RC4Engine();
        engine.Init(true, new KeyParameter(key));
        var result = new byte[data.Length];
        engine.ProcessBytes(data, result);
        return result;
    }

    /// <summary>AES-CMAC (RFC 4493) over <paramref name="data"/>, written to <paramref name="mac"/> (16 bytes).</summary>
    public static void AesCmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        var cmac = new CMac(new AesEngine());
        cmac.Init(new KeyParameter(key));
        cmac.BlockUpdate(data);
        cmac.DoFinal(mac);
    }
}
