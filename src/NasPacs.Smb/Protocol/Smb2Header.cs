namespace NasPacs.Smb.Protocol;

/// <summary>The 64-byte SMB2 packet header (MS-SMB2 §2.2.1), sync or async form.</summary>
internal readonly record struct Smb2Header(
    ushort CreditCharge,
    uint Status,
    Smb2Command Command,
    ushort Credits,
    Smb2Flags Flags,
    uint NextCommand,
    ulong MessageId,
    ulong AsyncId,
    uint TreeId,
    ulong SessionId)
{
    public const int Size = 64;
    public const int SignatureOffset = 48;
    public const int SignatureSize = 16;
    public const int FlagsOffset = 16;
    public const int NextCommandOffset = 20;
    public const uint ProtocolId = 0x424D53FE; // 0xFE 'S' 'M' 'B'

    public bool IsAsync => (Flags & Smb2Flags.AsyncCommand) != 0;

    public bool IsSigned => (Flags & Smb2Flags.Signed) != 0;

    public bool IsResponse => (Flags & Smb2Flags.ServerToRedirector) != 0;

    /// <summary>Reads and validates a header at the start of <paramref name="message"/>.</summary>
    public static Smb2Header Read(ReadOnlySpan<byte> message)
    {
        if (Wire.U32(message, 0, "Header.ProtocolId") != ProtocolId)
        {
            throw new SmbProtocolException("The message does not start with the SMB2 protocol identifier.");
        }

        if (Wire.U16(message, 4, "Header.StructureSize") != Size)
        {
            throw new SmbProtocolException("The SMB2 header has a wrong structure size.");
        }

        var flags = (Smb2Flags)Wire.U32(message, 16, "Header.Flags");
        var async = (flags & Smb2Flags.AsyncCommand) != 0;
        return new Smb2Header(
            CreditCharge: Wire.U16(message, 6, "Header.CreditCharge"),
            Status: Wire.U32(message, 8, "Header.Status"),
            Command: (Smb2Command)Wire.U16(message, 12, "Header.Command"),
            Credits: Wire.U16(message, 14, "Header.Credits"),
            Flags: flags,
            NextCommand: Wire.U32(message, 20, "Header.NextCommand"),
            MessageId: Wire.U64(message, 24, "Header.MessageId"),
            AsyncId: async ? Wire.U64(message, 32, "Header.AsyncId") : 0,
            TreeId: async ? 0 : Wire.U32(message, 36, "Header.TreeId"),
            SessionId: Wire.U64(message, 40, "Header.SessionId"));
    }

    /// <summary>Writes this header as a request header (sync form) into the first 64 bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        Wire.Put32(destination, 0, ProtocolId);
        Wire.Put16(destination, 4, Size);
        Wire.Put16(destination, 6, CreditCharge);
        Wire.Put32(destination, 8, Status);
        Wire.Put16(destination, 12, (ushort)Command);
        Wire.Put16(destination, 14, Credits);
        Wire.Put32(destination, 16, (uint)Flags);
        Wire.Put32(destination, 20, NextCommand);
        Wire.Put64(destination, 24, MessageId);
        Wire.Put32(destination, 36, TreeId);
        Wire.Put64(destination, 40, SessionId);
    }
}
