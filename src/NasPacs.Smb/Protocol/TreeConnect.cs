using System.Text;

namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 TREE_CONNECT request and response (MS-SMB2 §2.2.9, §2.2.10).</summary>
internal static class TreeConnect
{
    public const uint ShareFlagEncryptData = 0x00008000;
    public const byte ShareTypeDisk = 0x01;

    public static byte[] BuildRequest(string host, string share)
    {
        var path = Encoding.Unicode.GetBytes($@"\\{host}\{share}");
        var body = new byte[8 + path.Length];
        Wire.Put16(body, 0, 9);
        Wire.Put16(body, 4, Smb2Header.Size + 8);
        Wire.Put16(body, 6, (ushort)path.Length);
        path.CopyTo(body, 8);
        return body;
    }

    /// <summary>Returns the share type and flags.</summary>
    public static (byte ShareType, uint ShareFlags) ParseResponse(ReadOnlySpan<byte> message)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 16, "TreeConnectResponse");
        return (Wire.U8(body, 2, "TreeConnectResponse.ShareType"), Wire.U32(body, 4, "TreeConnectResponse.ShareFlags"));
    }

    public static byte[] BuildDisconnect()
    {
        var body = new byte[4];
        Wire.Put16(body, 0, 4);
        return body;
    }
}
