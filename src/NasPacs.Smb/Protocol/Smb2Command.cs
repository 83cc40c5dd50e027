namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 command codes (MS-SMB2 §2.2.1.2); only those this client sends or must recognise.</summary>
internal enum Smb2Command : ushort
{
    Negotiate = 0x0000,
    SessionSetup = 0x0001,
    Logoff = 0x0002,
    TreeConnect = 0x0003,
    TreeDisconnect = 0x0004,
    Create = 0x0005,
    Close = 0x0006,
    Read = 0x0008,
    Ioctl = 0x000B,
    Cancel = 0x000C,
    Echo = 0x000D,
    QueryDirectory = 0x000E,
    QueryInfo = 0x0010,
    OplockBreak = 0x0012,
}

/// <summary>SMB2 header flags (MS-SMB2 §2.2.1.2).</summary>
[Flags]
internal enum Smb2Flags : uint
{
    None = 0,
    ServerToRedirector = 0x00000001,
    AsyncCommand = 0x00000002,
    RelatedOperations = 0x00000004,
    Signed = 0x00000008,
}

/// <summary>The dialects this client speaks (MS-SMB2 §2.2.3).</summary>
internal enum SmbDialect : ushort
{
    None = 0,
    Smb202 = 0x0202,
    Smb210 = 0x0210,
    Smb300 = 0x0300,
    Smb302 = 0x0302,
    Smb311 = 0x0311,
}
