using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using NasPacs.Smb.Crypto;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Auth;

/// <summary>
/// NTLMv2 authentication (MS-NLMP §3.3.2) with extended session security, key exchange and a MIC.
/// One instance serves one session setup; the password is used once and never stored in a string field.
/// </summary>
[SuppressMessage("Security", "CA5351:Do not use broken cryptographic algorithms", Justification = "NTLMv2 (MS-NLMP) is defined with MD4, MD5 and HMAC-MD5; the protocol leaves no choice.")]
internal sealed class NtlmV2
{
    private static readonly byte[] ClientSigningMagic = "session key to client-to-server signing key magic constant\0"u8.ToArray();
    private static readonly byte[] ClientSealingMagic = "session key to client-to-server sealing key magic constant\0"u8.ToArray();
    private static readonly byte[] ServerSigningMagic = "session key to server-to-client signing key magic constant\0"u8.ToArray();
    private static readonly byte[] ServerSealingMagic = "session key to server-to-client sealing key magic constant\0"u8.ToArray();

    private readonly byte[] _negotiateMessage = NtlmMessages.BuildNegotiate();
    private byte[] _exportedSessionKey = [];

    /// <summary>The NEGOTIATE message that starts the exchange.</summary>
    public byte[] NegotiateMessage => _negotiateMessage;

    /// <summary>The key SMB derives its signing and encryption keys from (valid after <see cref="Authenticate"/>).</summary>
    public byte[] SessionKey => _exportedSessionKey;

    /// <summary>Answers the server's CHALLENGE with an AUTHENTICATE message carrying the NTLMv2 response and the MIC.</summary>
    public byte[] Authenticate(byte[] challengeMessage, NtlmCredential credential, string spnHost, DateTimeOffset now)
    {
        var challenge = NtlmMessages.ParseChallenge(challengeMessage);
        if ((challenge.Flags & NtlmFlags.ExtendedSessionSecurity) == 0 || (challenge.Flags & NtlmFlags.TargetInfo) == 0)
        {
            // Without these the exchange falls back to NTLMv1-style keys; refuse rather than weaken silently.
            throw new SmbProtocolException("The server does not offer NTLMv2 with extended session security.");
        }

        var pairs = AvPairs.Parse(challenge.TargetInfo);
        var serverTime = pairs.FirstOrDefault(p => p.Id == AvPairs.Timestamp).Value;
        var timestamp = serverTime is { Length: 8 } ? serverTime : BitConverter.GetBytes(now.UtcDateTime.ToFileTimeUtc());
        var clientPairs = pairs.Where(p => p.Id is not (AvPairs.Flags or AvPairs.TargetName)).ToList();
        var existingFlags = pairs.FirstOrDefault(p => p.Id == AvPairs.Flags).Value;
        var flagsValue = new byte[4];
        Wire.Put32(flagsValue, 0, (existingFlags is { Length: 4 } ? BitConverter.ToUInt32(existingFlags) : 0) | AvPairs.FlagMicPresent);
        clientPairs.Add((AvPairs.Flags, flagsValue));
        clientPairs.Add((AvPairs.TargetName, Encoding.Unicode.GetBytes("cifs/" + spnHost)));

        var responseKey = ResponseKey(credential);
        var clientChallenge = RandomNumberGenerator.GetBytes(8);
        var temp = BuildTemp(timestamp, clientChallenge, AvPairs.Serialize(clientPairs));
        var ntProof = HMACMD5.HashData(responseKey, Concat(challenge.ServerChallenge, temp));
        byte[] ntResponse = [.. ntProof, .. temp];

        // With a timestamp in the target info the LM response is all zeros (MS-NLMP §3.1.5.1.2).
        var lmResponse = new byte[24];
        var sessionBaseKey = HMACMD5.HashData(responseKey, ntProof);

        var flags = NtlmFlags.ClientDefault & (challenge.Flags | NtlmFlags.Version);
        byte[] encryptedKey = [];
        if ((flags & NtlmFlags.KeyExchange) != 0)
        {
            _exportedSessionKey = RandomNumberGenerator.GetBytes(16);
            encryptedKey = Primitives.Rc4(sessionBaseKey, _exportedSessionKey);
        }
        else
        {
            _exportedSessionKey = sessionBaseKey;
        }

        _negotiatedFlags = flags;
        var authenticate = NtlmMessages.BuildAuthenticate(flags, lmResponse, ntResponse, credential.Domain, credential.User, string.Empty, encryptedKey);
        var mic = HMACMD5.HashData(_exportedSessionKey, Concat(_negotiateMessage, challengeMessage, authenticate));
        mic.CopyTo(authenticate, NtlmMessages.MicOffset);
        return authenticate;
    }

    /// <summary>The NTLM signature of <paramref name="message"/> with sequence number 0, used as the SPNEGO mechListMIC (MS-NLMP §3.4.4.2).</summary>
    public byte[] SignFirstMessage(ReadOnlySpan<byte> message) => FirstSignature(ClientSigningMagic, ClientSealingMagic, message);

    /// <summary>
    /// Whether <paramref name="signature"/> is the server's NTLM signature of <paramref name="message"/>, its first
    /// (sequence number 0) under the server-to-client keys: how the server's mechListMIC proves it saw the mechanism
    /// list the client sent and holds the session key (MS-SPNG §3.3.5.1, MS-NLMP §3.4.4.2).
    /// </summary>
    public bool VerifyServerFirstMessage(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == 16 && CryptographicOperations.FixedTimeEquals(FirstSignature(ServerSigningMagic, ServerSealingMagic, message), signature);

    /// <summary>NTLMSSP_MESSAGE_SIGNATURE with extended session security: version 1, checksum (RC4-sealed under key exchange), sequence number 0.</summary>
    private byte[] FirstSignature(byte[] signingMagic, byte[] sealingMagic, ReadOnlySpan<byte> message)
    {
        var signingKey = MD5.HashData(Concat(_exportedSessionKey, signingMagic));
        var sequence = new byte[4];
        var checksum = HMACMD5.HashData(signingKey, Concat(sequence, message.ToArray())).AsSpan(0, 8).ToArray();
        if ((_negotiatedFlags & NtlmFlags.KeyExchange) != 0)
        {
            checksum = Primitives.Rc4(MD5.HashData(Concat(_exportedSessionKey, sealingMagic)), checksum);
        }

        return [1, 0, 0, 0, .. checksum, .. sequence];
    }

    private NtlmFlags _negotiatedFlags;

    internal static byte[] ResponseKey(NtlmCredential credential)
    {
        var ntHash = Primitives.Md4(Encoding.Unicode.GetBytes(credential.Password));
        return HMACMD5.HashData(ntHash, Encoding.Unicode.GetBytes(credential.User.ToUpperInvariant() + credential.Domain));
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] BuildTemp(byte[] timestamp, byte[] clientChallenge, byte[] avPairs)
    {
        var temp = new byte[28 + avPairs.Length + 4];
        temp[0] = 1;
        temp[1] = 1;
        timestamp.CopyTo(temp, 8);
        clientChallenge.CopyTo(temp, 16);
        avPairs.CopyTo(temp, 28);
        return temp;
    }
}

/// <summary>Who signs in. <see cref="ToString"/> never shows the password.</summary>
internal sealed record NtlmCredential(string Domain, string User, string Password)
{
    public override string ToString() => $"{Domain}\\{User}";
}
