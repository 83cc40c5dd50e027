using System.Security.Cryptography;

namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 NEGOTIATE request and response (MS-SMB2 §2.2.3, §2.2.4), with the SMB 3.1.1 negotiate contexts.</summary>
internal static class Negotiate
{
    public const ushort SigningEnabled = 0x0001;
    public const ushort SigningRequired = 0x0002;
    public const uint CapabilityLargeMtu = 0x00000004;
    public const uint CapabilityEncryption = 0x00000040;

    private const ushort PreauthIntegrityContext = 0x0001;
    private const ushort EncryptionContext = 0x0002;
    private const ushort SigningContext = 0x0008;
    private const ushort Sha512 = 0x0001;

    /// <summary>Builds the request body for the dialects in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static byte[] BuildRequest(SmbDialect min, SmbDialect max, Guid clientGuid, bool requireSigning, IReadOnlyList<SmbCipher> ciphers)
    {
        var dialects = Offered(min, max);
        if (dialects.Length == 0)
        {
            throw new ArgumentException("The dialect range is empty.", nameof(min));
        }

        var with311 = dialects.Contains(SmbDialect.Smb311);
        var contexts = with311 ? BuildContexts(ciphers) : [];
        var fixedLength = 36 + (dialects.Length * 2);
        var contextsAt = Align8(Smb2Header.Size + fixedLength);
        var body = new byte[with311 ? contextsAt - Smb2Header.Size + contexts.Length : fixedLength];

        Wire.Put16(body, 0, 36);
        Wire.Put16(body, 2, (ushort)dialects.Length);
        Wire.Put16(body, 4, (ushort)(SigningEnabled | (requireSigning ? SigningRequired : 0)));
        Wire.Put32(body, 8, ClientCapabilities(ciphers));
        clientGuid.TryWriteBytes(body.AsSpan(12, 16));
        if (with311)
        {
            Wire.Put32(body, 28, (uint)contextsAt);
            Wire.Put16(body, 32, 3);
            contexts.CopyTo(body, contextsAt - Smb2Header.Size);
        }

        for (var i = 0; i < dialects.Length; i++)
        {
            Wire.Put16(body, 36 + (i * 2), (ushort)dialects[i]);
        }

        return body;
    }

    /// <summary>Parses a NEGOTIATE response (the whole message, header included).</summary>
    public static NegotiateResult ParseResponse(ReadOnlySpan<byte> message, SmbDialect min, SmbDialect max)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 65, "NegotiateResponse");
        var dialect = (SmbDialect)Wire.U16(body, 4, "NegotiateResponse.DialectRevision");
        if (!AllDialects.Contains(dialect) || dialect < min || dialect > max)
        {
            throw new SmbProtocolException($"The server chose dialect 0x{(ushort)dialect:X4}, which was not offered.");
        }

        var result = new NegotiateResult
        {
            Dialect = dialect,
            SecurityMode = Wire.U16(body, 2, "NegotiateResponse.SecurityMode"),
            Capabilities = Wire.U32(body, 24, "NegotiateResponse.Capabilities"),
            MaxTransactSize = Wire.U32(body, 28, "NegotiateResponse.MaxTransactSize"),
            MaxReadSize = Wire.U32(body, 32, "NegotiateResponse.MaxReadSize"),
            ServerGuid = Wire.Slice(body, 8, 16, "NegotiateResponse.ServerGuid").ToArray(),
            SecurityBlob = Wire.Slice(message, Wire.U16(body, 56, "NegotiateResponse.SecurityBufferOffset"), Wire.U16(body, 58, "NegotiateResponse.SecurityBufferLength"), "NegotiateResponse.SecurityBuffer").ToArray(),
        };

        if (dialect == SmbDialect.Smb311)
        {
            ReadContexts(message, Wire.U32(body, 60, "NegotiateResponse.NegotiateContextOffset"), Wire.U16(body, 6, "NegotiateResponse.NegotiateContextCount"), result);
            if (!result.HasPreauthIntegrity)
            {
                throw new SmbProtocolException("The SMB 3.1.1 server did not confirm SHA-512 pre-authentication integrity.");
            }
        }
        else if (dialect >= SmbDialect.Smb300 && (result.Capabilities & CapabilityEncryption) != 0)
        {
            result.Cipher = SmbCipher.Aes128Ccm;
        }

        return result;
    }

    /// <summary>The dialects offered for a range, in the order sent.</summary>
    public static SmbDialect[] Offered(SmbDialect min, SmbDialect max) => [.. AllDialects.Where(d => d >= min && d <= max)];

    public static uint ClientCapabilities(IReadOnlyList<SmbCipher> ciphers) => CapabilityLargeMtu | (ciphers.Count > 0 ? CapabilityEncryption : 0);

    private static readonly SmbDialect[] AllDialects = [SmbDialect.Smb202, SmbDialect.Smb210, SmbDialect.Smb300, SmbDialect.Smb302, SmbDialect.Smb311];

    private static int Align8(int value) => (value + 7) & ~7;

    private static byte[] BuildContexts(IReadOnlyList<SmbCipher> ciphers)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        var preauth = new byte[6 + salt.Length];
        Wire.Put16(preauth, 0, 1);
        Wire.Put16(preauth, 2, (ushort)salt.Length);
        Wire.Put16(preauth, 4, Sha512);
        salt.CopyTo(preauth, 6);

        // A server that accepts no cipher leaves encryption off; an empty list is not allowed on the wire.
        var offered = ciphers.Count > 0 ? ciphers : [SmbCipher.Aes128Gcm];
        var encryption = new byte[2 + (offered.Count * 2)];
        Wire.Put16(encryption, 0, (ushort)offered.Count);
        for (var i = 0; i < offered.Count; i++)
        {
            Wire.Put16(encryption, 2 + (i * 2), (ushort)offered[i]);
        }

        SmbSigningAlgorithm[] signing = [SmbSigningAlgorithm.AesGmac, SmbSigningAlgorithm.AesCmac, SmbSigningAlgorithm.HmacSha256];
        var signingData = new byte[2 + (signing.Length * 2)];
        Wire.Put16(signingData, 0, (ushort)signing.Length);
        for (var i = 0; i < signing.Length; i++)
        {
            Wire.Put16(signingData, 2 + (i * 2), (ushort)signing[i]);
        }

        using var stream = new MemoryStream();
        WriteContext(stream, PreauthIntegrityContext, preauth);
        WriteContext(stream, EncryptionContext, encryption);
        WriteContext(stream, SigningContext, signingData);
        return stream.ToArray();
    }

    private static void WriteContext(MemoryStream stream, ushort type, byte[] data)
    {
        while (stream.Length % 8 != 0)
        {
            stream.WriteByte(0);
        }

        Span<byte> header = stackalloc byte[8];
        header.Clear();
        Wire.Put16(header, 0, type);
        Wire.Put16(header, 2, (ushort)data.Length);
        stream.Write(header);
        stream.Write(data);
    }

    private static void ReadContexts(ReadOnlySpan<byte> message, uint offset, ushort count, NegotiateResult result)
    {
        if (count > 64)
        {
            throw new SmbProtocolException($"The server sent {count} negotiate contexts.");
        }

        long at = offset;
        for (var i = 0; i < count; i++)
        {
            at = (at + 7) & ~7L;
            var header = Wire.Slice(message, at, 8, "NegotiateContext");
            var type = Wire.U16(header, 0, "NegotiateContext.ContextType");
            var length = Wire.U16(header, 2, "NegotiateContext.DataLength");
            var data = Wire.Slice(message, at + 8, length, "NegotiateContext.Data");
            switch (type)
            {
                case PreauthIntegrityContext:
                    if (Wire.U16(data, 0, "PreauthIntegrity.HashAlgorithmCount") != 1 || Wire.U16(data, 4, "PreauthIntegrity.HashAlgorithm") != Sha512)
                    {
                        throw new SmbProtocolException("The server chose a pre-authentication hash other than SHA-512.");
                    }

                    result.HasPreauthIntegrity = true;
                    break;
                case EncryptionContext:
                    if (Wire.U16(data, 0, "Encryption.CipherCount") != 1)
                    {
                        throw new SmbProtocolException("The server chose more than one cipher.");
                    }

                    var cipher = (SmbCipher)Wire.U16(data, 2, "Encryption.Cipher");
                    result.Cipher = cipher is SmbCipher.Aes128Ccm or SmbCipher.Aes128Gcm or SmbCipher.Aes256Ccm or SmbCipher.Aes256Gcm ? cipher : SmbCipher.None;
                    break;
                case SigningContext:
                    if (Wire.U16(data, 0, "Signing.SigningAlgorithmCount") != 1)
                    {
                        throw new SmbProtocolException("The server chose more than one signing algorithm.");
                    }

                    var algorithm = (SmbSigningAlgorithm)Wire.U16(data, 2, "Signing.SigningAlgorithm");
                    if (algorithm is not (SmbSigningAlgorithm.HmacSha256 or SmbSigningAlgorithm.AesCmac or SmbSigningAlgorithm.AesGmac))
                    {
                        throw new SmbProtocolException("The server chose a signing algorithm that was not offered.");
                    }

                    result.SigningAlgorithm = algorithm;
                    break;
                default:
                    break; // Contexts this client did not ask for are ignored (MS-SMB2 §3.2.5.2).
            }

            at += 8 + length;
        }
    }
}

/// <summary>What the server chose in NEGOTIATE.</summary>
internal sealed class NegotiateResult
{
    public SmbDialect Dialect { get; init; }

    public ushort SecurityMode { get; init; }

    public uint Capabilities { get; init; }

    public uint MaxTransactSize { get; init; }

    public uint MaxReadSize { get; init; }

    public byte[] SecurityBlob { get; init; } = [];

    public byte[] ServerGuid { get; init; } = [];

    public bool HasPreauthIntegrity { get; set; }

    public SmbCipher Cipher { get; set; }

    /// <summary>The signing algorithm; SMB 3.1.1 without a signing context, and 3.0.x, use AES-CMAC.</summary>
    public SmbSigningAlgorithm SigningAlgorithm { get; set; } = SmbSigningAlgorithm.AesCmac;

    public bool ServerRequiresSigning => (SecurityMode & Negotiate.SigningRequired) != 0;

    public bool SupportsLargeMtu => Dialect > SmbDialect.Smb202 && (Capabilities & Negotiate.CapabilityLargeMtu) != 0;
}

/// <summary>SMB 3 ciphers (MS-SMB2 §2.2.3.1.2).</summary>
internal enum SmbCipher : ushort
{
    None = 0,
    Aes128Ccm = 1,
    Aes128Gcm = 2,
    Aes256Ccm = 3,
    Aes256Gcm = 4,
}

/// <summary>SMB 3.1.1 signing algorithms (MS-SMB2 §2.2.3.1.7).</summary>
internal enum SmbSigningAlgorithm : ushort
{
    HmacSha256 = 0,
    AesCmac = 1,
    AesGmac = 2,
}
