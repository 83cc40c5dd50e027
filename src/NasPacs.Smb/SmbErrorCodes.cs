namespace NasPacs.Smb;

/// <summary>Error codes the SMB client adds to the shared <c>ErrorCodes</c>, for failures only SMB has.</summary>
public static class SmbErrorCodes
{
    /// <summary>Client and server share no SMB dialect in the configured range.</summary>
    public const string DialectMismatch = "smb.dialect-mismatch";

    /// <summary>Signing or encryption cannot be had as the server or the settings require.</summary>
    public const string SecurityMismatch = "smb.security-mismatch";
}
