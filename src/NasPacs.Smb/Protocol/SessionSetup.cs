namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 SESSION_SETUP request and response (MS-SMB2 §2.2.5, §2.2.6).</summary>
internal static class SessionSetup
{
    public const ushort FlagIsGuest = 0x0001;
    public const ushort FlagIsNull = 0x0002;
    public const ushort FlagEncryptData = 0x0004;

    private const int BufferOffset = Smb2Header.Size + 24;

    public static byte[] BuildRequest(ReadOnlySpan<byte> securityBlob, bool requireSigning)
    {
        var body = new byte[24 + securityBlob.Length];
        Wire.Put16(body, 0, 25);
        body[3] = (byte)(Negotiate.SigningEnabled | (requireSigning ? Negotiate.SigningRequired : 0));
        Wire.Put16(body, 12, BufferOffset);
        Wire.Put16(body, 14, (ushort)securityBlob.Length);
        securityBlob.CopyTo(body.AsSpan(24));
        return body;
    }

    /// <summary>Returns the session flags and the server's security blob.</summary>
    public static (ushort Flags, byte[] SecurityBlob) ParseResponse(ReadOnlySpan<byte> message)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 9, "SessionSetupResponse");
        var flags = Wire.U16(body, 2, "SessionSetupResponse.SessionFlags");
        var blob = Wire.Slice(message, Wire.U16(body, 4, "SessionSetupResponse.SecurityBufferOffset"), Wire.U16(body, 6, "SessionSetupResponse.SecurityBufferLength"), "SessionSetupResponse.SecurityBuffer");
        return (flags, blob.ToArray());
    }
}
