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

    /// <summary>An AES-CMAC (RFC 4493) keyed once; <c>DoFinal</c> resets it for the next message. Not thread-safe.</summary>
    public static CMac NewAesCmac(ReadOnlySpan<byte> key)
    {
        var cmac = new CMac(new AesEngine());
        cmac.Init(new KeyParameter(key));
        return cmac;
    }
}
