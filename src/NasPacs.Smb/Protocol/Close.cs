namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 CLOSE request (MS-SMB2 §2.2.15); the response carries nothing this client needs.</summary>
internal static class Close
{
    /// <summary>
    /// The CLOSE of a related compound (of the handle the compound's CREATE opened): the same for every compound, so
    /// built once. Its body is only ever copied into the output buffer, never changed.
    /// </summary>
    public static readonly Smb2Request Related = new(Smb2Command.Close, BuildRequest(FileId.Related));

    public static byte[] BuildRequest(FileId fileId)
    {
        var body = new byte[24];
        Wire.Put16(body, 0, 24);
        fileId.Write(body.AsSpan(8));
        return body;
    }
}
