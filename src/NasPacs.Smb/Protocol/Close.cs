namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 CLOSE request (MS-SMB2 §2.2.15); the response carries nothing this client needs.</summary>
internal static class Close
{
    public static byte[] BuildRequest(FileId fileId)
    {
        var body = new byte[24];
        Wire.Put16(body, 0, 24);
        fileId.Write(body.AsSpan(8));
        return body;
    }
}
