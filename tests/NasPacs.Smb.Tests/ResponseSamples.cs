using System.Buffers.Binary;
using System.Formats.Asn1;
using System.Text;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Tests;

/// <summary>Well-formed server messages built from the MS-SMB2 and MS-NLMP layouts, as seeds for the malformed-input tests.</summary>
internal static class ResponseSamples
{
    /// <summary>
    /// Every parser of server input with a well-formed seed: the table the seeded mutation test and the libFuzzer
    /// harness (tests/NasPacs.Smb.Fuzz) both run.
    /// </summary>
    public static IReadOnlyList<(string Name, Func<byte[]> Seed, Action<byte[]> Parse)> Parsers { get; } =
    [
        ("header", Create, m => Smb2Header.Read(m)),
        ("negotiate", Negotiate311, m => Negotiate.ParseResponse(m, SmbDialect.Smb202, SmbDialect.Smb311)),
        ("session-setup", SessionSetup, m => Protocol.SessionSetup.ParseResponse(m)),
        ("tree-connect", TreeConnect, m => Protocol.TreeConnect.ParseResponse(m)),
        ("create", Create, m => Protocol.Create.ParseResponse(m)),
        ("read", () => Read(300), m => Protocol.Read.ParseResponse(m, 300)),
        ("query-directory", () => QueryDirectory(".", "..", "a.dcm", "ünï.dcm"), m => Protocol.QueryDirectory.ParseResponse(m, 1 << 16)),
        ("validate-negotiate", () => ValidateNegotiate(0x44, SampleGuid, 1, 0x0300), m => Protocol.ValidateNegotiate.CheckResponse(m, SampleNegotiated)),
        ("ntlm-challenge", NtlmChallenge, m => Auth.AvPairs.Parse(Auth.NtlmMessages.ParseChallenge(m).TargetInfo)),
        ("spnego", () => NegTokenResponse(NtlmChallenge()), m => Auth.Spnego.ReadResponse(m)),
    ];

    /// <summary>The server GUID of the validate-negotiate sample.</summary>
    public static byte[] SampleGuid => [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    /// <summary>What NEGOTIATE settled that the validate-negotiate sample confirms.</summary>
    public static NegotiateResult SampleNegotiated => new() { Dialect = SmbDialect.Smb300, Capabilities = 0x44, SecurityMode = 1, ServerGuid = SampleGuid };

    public static byte[] Message(Smb2Command command, byte[] body, uint status = 0)
    {
        var message = new byte[Smb2Header.Size + body.Length];
        new Smb2Header(0, status, command, 1, Smb2Flags.ServerToRedirector, 0, 1, 0, 1, 1).Write(message);
        body.CopyTo(message, Smb2Header.Size);
        return message;
    }

    public static byte[] Negotiate311()
    {
        var contexts = new List<byte>();
        void Context(ushort type, byte[] data)
        {
            while (contexts.Count % 8 != 0)
            {
                contexts.Add(0);
            }

            contexts.AddRange([(byte)type, (byte)(type >> 8), (byte)data.Length, (byte)(data.Length >> 8), 0, 0, 0, 0]);
            contexts.AddRange(data);
        }

        Context(1, [1, 0, 0, 0, 1, 0]);
        Context(2, [1, 0, 2, 0]);
        Context(8, [1, 0, 2, 0]);
        var blob = new byte[16];
        var body = new byte[64 + blob.Length + 8 + contexts.Count];
        Put16(body, 0, 65);
        Put16(body, 4, 0x0311);
        Put16(body, 6, 3);
        Put32(body, 32, 1 << 20);
        Put16(body, 56, Smb2Header.Size + 64);
        Put16(body, 58, (ushort)blob.Length);
        var contextsAt = (Smb2Header.Size + 64 + blob.Length + 7) & ~7;
        Put32(body, 60, (uint)contextsAt);
        contexts.ToArray().CopyTo(body, contextsAt - Smb2Header.Size);
        return Message(Smb2Command.Negotiate, body);
    }

    public static byte[] SessionSetup()
    {
        var body = new byte[8 + 10];
        Put16(body, 0, 9);
        Put16(body, 4, Smb2Header.Size + 8);
        Put16(body, 6, 10);
        return Message(Smb2Command.SessionSetup, body, NtStatus.MoreProcessingRequired);
    }

    public static byte[] TreeConnect()
    {
        var body = new byte[16];
        Put16(body, 0, 16);
        body[2] = 1;
        return Message(Smb2Command.TreeConnect, body);
    }

    public static byte[] Create()
    {
        var body = new byte[88];
        Put16(body, 0, 89);
        Put64(body, 48, 1234);
        Put64(body, 64, 7);
        return Message(Smb2Command.Create, body);
    }

    public static byte[] Read(int length)
    {
        var body = new byte[16 + length];
        Put16(body, 0, 17);
        body[2] = Smb2Header.Size + 16;
        Put32(body, 4, (uint)length);
        return Message(Smb2Command.Read, body);
    }

    public static byte[] QueryDirectory(params string[] names) => QueryDirectory(withIds: true, names);

    /// <summary>A listing as FileIdFullDirectoryInformation (IDs 1000, 1001, …) or, without IDs, FileDirectoryInformation.</summary>
    public static byte[] QueryDirectory(bool withIds, params string[] names)
    {
        var fixedSize = withIds ? 80 : 64;
        var entries = new List<byte>();
        for (var i = 0; i < names.Length; i++)
        {
            var name = Encoding.Unicode.GetBytes(names[i]);
            var size = (fixedSize + name.Length + 7) & ~7;
            var entry = new byte[size];
            Put32(entry, 0, i < names.Length - 1 ? (uint)size : 0);
            Put64(entry, 40, (ulong)(100 * i));
            Put32(entry, 60, (uint)name.Length);
            if (withIds)
            {
                Put64(entry, 72, (ulong)(1000 + i));
            }

            name.CopyTo(entry, fixedSize);
            entries.AddRange(entry);
        }

        var body = new byte[8 + entries.Count];
        Put16(body, 0, 9);
        Put16(body, 2, Smb2Header.Size + 8);
        Put32(body, 4, (uint)entries.Count);
        entries.ToArray().CopyTo(body, 8);
        return Message(Smb2Command.QueryDirectory, body);
    }

    public static byte[] ValidateNegotiate(uint capabilities, byte[] serverGuid, ushort securityMode, ushort dialect)
    {
        var body = new byte[48 + 24];
        Put16(body, 0, 49);
        Put32(body, 32, Smb2Header.Size + 48);
        Put32(body, 36, 24);
        Put32(body, 48, capabilities);
        serverGuid.CopyTo(body, 52);
        Put16(body, 68, securityMode);
        Put16(body, 70, dialect);
        return Message(Smb2Command.Ioctl, body);
    }

    public static byte[] NtlmChallenge()
    {
        var info = new List<byte>();
        void Pair(ushort id, byte[] value) => info.AddRange([(byte)id, (byte)(id >> 8), (byte)value.Length, (byte)(value.Length >> 8), .. value]);
        Pair(2, Encoding.Unicode.GetBytes("DOMAIN"));
        Pair(1, Encoding.Unicode.GetBytes("SERVER"));
        Pair(7, new byte[8]);
        Pair(0, []);
        var message = new byte[56 + info.Count];
        "NTLMSSP\0"u8.CopyTo(message);
        Put32(message, 8, 2);
        Put32(message, 20, 0xE2898215);
        Put16(message, 40, (ushort)info.Count);
        Put16(message, 42, (ushort)info.Count);
        Put32(message, 44, 56);
        info.ToArray().CopyTo(message, 56);
        return message;
    }

    public static byte[] NegTokenResponse(byte[] token)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, true)))
            {
                writer.WriteEnumeratedValue(Auth.Spnego.NegState.AcceptIncomplete);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, true)))
            {
                writer.WriteObjectIdentifier(Auth.Spnego.NtlmSspOid);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2, true)))
            {
                writer.WriteOctetString(token);
            }
        }

        return writer.Encode();
    }

    private static void Put16(byte[] b, int at, ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);

    private static void Put32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);

    private static void Put64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
}
