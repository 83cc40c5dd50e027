using System.Buffers;
using System.Security.Cryptography;
using NasPacs.Smb.Protocol;
using Org.BouncyCastle.Crypto.Macs;

namespace NasPacs.Smb.Crypto;

/// <summary>Signs requests and verifies responses (MS-SMB2 §3.1.4.1): HMAC-SHA256, AES-CMAC or AES-GMAC.</summary>
/// <remarks>
/// Signing runs under the connection's send lock and verifying on its single reader loop, so each side keeps
/// its own AES-GCM or AES-CMAC instance (the key schedule is built once per session, and no instance is shared
/// between threads).
/// </remarks>
internal sealed class MessageSigner : IDisposable
{
    private readonly byte[] _key;
    private readonly SmbSigningAlgorithm _algorithm;
    private readonly AesGcm? _signGmac;
    private readonly AesGcm? _verifyGmac;
    private readonly CMac? _signCmac;
    private readonly CMac? _verifyCmac;

    public MessageSigner(byte[] key, SmbSigningAlgorithm algorithm)
    {
        _key = key;
        _algorithm = algorithm;
        if (algorithm == SmbSigningAlgorithm.AesGmac)
        {
            _signGmac = new AesGcm(key, 16);
            _verifyGmac = new AesGcm(key, 16);
        }
        else if (algorithm == SmbSigningAlgorithm.AesCmac)
        {
            _signCmac = Primitives.NewAesCmac(key);
            _verifyCmac = Primitives.NewAesCmac(key);
        }
    }

    public void Dispose()
    {
        _signGmac?.Dispose();
        _verifyGmac?.Dispose();
    }

    /// <summary>Which algorithm a dialect uses; 3.1.1 uses what its signing context chose.</summary>
    public static SmbSigningAlgorithm AlgorithmFor(SmbDialect dialect, SmbSigningAlgorithm negotiated) => dialect switch
    {
        < SmbDialect.Smb300 => SmbSigningAlgorithm.HmacSha256,
        SmbDialect.Smb311 => negotiated,
        _ => SmbSigningAlgorithm.AesCmac,
    };

    public SmbSigningAlgorithm Algorithm => _algorithm;

    /// <summary>Sets the signed flag and writes the signature of <paramref name="message"/> (header included) in place.</summary>
    public void Sign(Span<byte> message)
    {
        var flags = Wire.U32(message, Smb2Header.FlagsOffset, "Header.Flags");
        Wire.Put32(message, Smb2Header.FlagsOffset, flags | (uint)Smb2Flags.Signed);
        var signature = message.Slice(Smb2Header.SignatureOffset, Smb2Header.SignatureSize);
        signature.Clear();
        Span<byte> mac = stackalloc byte[Smb2Header.SignatureSize];
        Compute(message, mac, _signGmac, _signCmac);
        mac.CopyTo(signature);
    }

    /// <summary>Checks the signature of a received message without changing it.</summary>
    public bool Verify(ReadOnlySpan<byte> message)
    {
        if (message.Length < Smb2Header.Size)
        {
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(message.Length);
        try
        {
            var copy = rented.AsSpan(0, message.Length);
            message.CopyTo(copy);
            copy.Slice(Smb2Header.SignatureOffset, Smb2Header.SignatureSize).Clear();
            Span<byte> mac = stackalloc byte[Smb2Header.SignatureSize];
            Compute(copy, mac, _verifyGmac, _verifyCmac);
            return CryptographicOperations.FixedTimeEquals(mac, message.Slice(Smb2Header.SignatureOffset, Smb2Header.SignatureSize));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Compute(ReadOnlySpan<byte> message, Span<byte> mac, AesGcm? gmac, CMac? cmac)
    {
        switch (_algorithm)
        {
            case SmbSigningAlgorithm.HmacSha256:
                Span<byte> full = stackalloc byte[32];
                HMACSHA256.HashData(_key, message, full);
                full[..16].CopyTo(mac);
                break;
            case SmbSigningAlgorithm.AesCmac:
                cmac!.BlockUpdate(message);
                cmac.DoFinal(mac);
                break;
            default:
                // AES-GMAC: GCM with no plaintext, the message as associated data, a nonce from the message id and role (MS-SMB2 §3.1.4.1).
                Span<byte> nonce = stackalloc byte[12];
                nonce.Clear();
                message.Slice(24, 8).CopyTo(nonce);
                var flags = Wire.U32(message, Smb2Header.FlagsOffset, "Header.Flags");
                var command = Wire.U16(message, 12, "Header.Command");
                nonce[8] = (byte)(((flags & (uint)Smb2Flags.ServerToRedirector) != 0 ? 1 : 0) | (command == (ushort)Smb2Command.Cancel ? 2 : 0));
                gmac!.Encrypt(nonce, [], [], mac, message);
                break;
        }
    }
}
