using System.Text;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Auth;

/// <summary>The three NTLMSSP messages (MS-NLMP §2.2.1): building NEGOTIATE and AUTHENTICATE, parsing CHALLENGE.</summary>
internal static class NtlmMessages
{
    public const int MicOffset = 72;
    private static readonly byte[] Signature = "NTLMSSP\0"u8.ToArray();

    /// <summary>Version field: 10.0, NTLMSSP revision 15 (MS-NLMP §2.2.2.10).</summary>
    private static readonly byte[] VersionField = [10, 0, 0x61, 0x4A, 0, 0, 0, 15];

    public static byte[] BuildNegotiate()
    {
        var message = new byte[40];
        Signature.CopyTo(message, 0);
        Wire.Put32(message, 8, 1);
        Wire.Put32(message, 12, (uint)NtlmFlags.ClientDefault);
        VersionField.CopyTo(message, 32);
        return message;
    }

    public static NtlmChallenge ParseChallenge(byte[] message)
    {
        var span = message.AsSpan();
        if (!Wire.Slice(span, 0, 8, "Challenge.Signature").SequenceEqual(Signature) || Wire.U32(span, 8, "Challenge.MessageType") != 2)
        {
            throw new SmbProtocolException("The server's NTLM token is not a CHALLENGE message.");
        }

        var flags = (NtlmFlags)Wire.U32(span, 20, "Challenge.NegotiateFlags");
        var targetInfo = (flags & NtlmFlags.TargetInfo) != 0 ? Field(span, 40, "Challenge.TargetInfo").ToArray() : [];
        return new NtlmChallenge(flags, Wire.Slice(span, 24, 8, "Challenge.ServerChallenge").ToArray(), targetInfo);
    }

    /// <summary>Builds AUTHENTICATE with a zero MIC; the caller fills the MIC at <see cref="MicOffset"/>.</summary>
    public static byte[] BuildAuthenticate(NtlmFlags flags, byte[] lmResponse, byte[] ntResponse, string domain, string user, string workstation, byte[] encryptedSessionKey)
    {
        byte[][] payloads =
        [
            lmResponse,
            ntResponse,
            Encoding.Unicode.GetBytes(domain),
            Encoding.Unicode.GetBytes(user),
            Encoding.Unicode.GetBytes(workstation),
            encryptedSessionKey,
        ];
        const int payloadStart = 88;
        var message = new byte[payloadStart + payloads.Sum(p => p.Length)];
        Signature.CopyTo(message, 0);
        Wire.Put32(message, 8, 3);
        var at = payloadStart;
        for (var i = 0; i < payloads.Length; i++)
        {
            var field = 12 + (i * 8);
            Wire.Put16(message, field, (ushort)payloads[i].Length);
            Wire.Put16(message, field + 2, (ushort)payloads[i].Length);
            Wire.Put32(message, field + 4, (uint)at);
            payloads[i].CopyTo(message, at);
            at += payloads[i].Length;
        }

        Wire.Put32(message, 60, (uint)flags);
        VersionField.CopyTo(message, 64);
        return message;
    }

    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> message, int at, string name) =>
        Wire.Slice(message, Wire.U32(message, at + 4, name + ".Offset"), Wire.U16(message, at, name + ".Length"), name);
}

/// <summary>What a CHALLENGE message carries.</summary>
internal sealed record NtlmChallenge(NtlmFlags Flags, byte[] ServerChallenge, byte[] TargetInfo);
