namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 READ request and response (MS-SMB2 §2.2.19, §2.2.20).</summary>
internal static class Read
{
    /// <summary>The SMB2 header and the fixed READ response body before the data.</summary>
    public const int ResponseHeaderSize = Smb2Header.Size + 16;

    public static byte[] BuildRequest(FileId fileId, long offset, int length)
    {
        var body = new byte[49];
        Wire.Put16(body, 0, 49);
        body[2] = 0x50; // Where we would like the data: right after the response header and body.
        Wire.Put32(body, 4, (uint)length);
        Wire.Put64(body, 8, (ulong)offset);
        fileId.Write(body.AsSpan(16));
        return body;
    }

    /// <summary>The data the server returned, checked to lie inside the message and not exceed what was asked.</summary>
    public static ReadOnlySpan<byte> ParseResponse(ReadOnlySpan<byte> message, int requested)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 17, "ReadResponse");
        var offset = Wire.U8(body, 2, "ReadResponse.DataOffset");
        var length = Wire.U32(body, 4, "ReadResponse.DataLength");
        if (length > (uint)requested)
        {
            throw new SmbProtocolException($"The server returned {length} bytes for a read of {requested}.");
        }

        return length == 0 ? [] : Wire.Slice(message, offset, length, "ReadResponse.Buffer");
    }
}
