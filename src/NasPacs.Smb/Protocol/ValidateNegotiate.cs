namespace NasPacs.Smb.Protocol;

/// <summary>
/// FSCTL_VALIDATE_NEGOTIATE_INFO over SMB2 IOCTL (MS-SMB2 §2.2.31.4, §3.2.5.14.12): on SMB 3.0 and 3.0.2, a signed
/// exchange that proves nobody rewrote the unsigned NEGOTIATE to downgrade the connection.
/// </summary>
internal static class ValidateNegotiate
{
    private const uint FsctlValidateNegotiateInfo = 0x00140204;
    private const uint IoctlIsFsctl = 0x00000001;
    private const int ResponseSize = 24;

    public static byte[] BuildRequest(uint capabilities, Guid clientGuid, ushort securityMode, IReadOnlyList<SmbDialect> dialects)
    {
        var input = new byte[24 + (dialects.Count * 2)];
        Wire.Put32(input, 0, capabilities);
        clientGuid.TryWriteBytes(input.AsSpan(4, 16));
        Wire.Put16(input, 20, securityMode);
        Wire.Put16(input, 22, (ushort)dialects.Count);
        for (var i = 0; i < dialects.Count; i++)
        {
            Wire.Put16(input, 24 + (i * 2), (ushort)dialects[i]);
        }

        var body = new byte[56 + input.Length];
        Wire.Put16(body, 0, 57);
        Wire.Put32(body, 4, FsctlValidateNegotiateInfo);
        FileId.Related.Write(body.AsSpan(8));
        Wire.Put32(body, 24, Smb2Header.Size + 56);
        Wire.Put32(body, 28, (uint)input.Length);
        Wire.Put32(body, 44, ResponseSize);
        Wire.Put32(body, 48, IoctlIsFsctl);
        input.CopyTo(body, 56);
        return body;
    }

    /// <summary>Checks the server's answer against what NEGOTIATE said; any difference is a protocol violation.</summary>
    public static void CheckResponse(ReadOnlySpan<byte> message, NegotiateResult negotiated)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 49, "IoctlResponse");
        var output = Wire.Slice(message, Wire.U32(body, 32, "IoctlResponse.OutputOffset"), Wire.U32(body, 36, "IoctlResponse.OutputCount"), "IoctlResponse.Output");
        if (output.Length < ResponseSize
            || Wire.U32(output, 0, "ValidateNegotiate.Capabilities") != negotiated.Capabilities
            || !Wire.Slice(output, 4, 16, "ValidateNegotiate.Guid").SequenceEqual(negotiated.ServerGuid)
            || Wire.U16(output, 20, "ValidateNegotiate.SecurityMode") != negotiated.SecurityMode
            || Wire.U16(output, 22, "ValidateNegotiate.Dialect") != (ushort)negotiated.Dialect)
        {
            throw new SmbProtocolException("The server's negotiate validation differs from its NEGOTIATE response: the connection may have been downgraded.");
        }
    }
}
