namespace NasPacs.Api.Security;

/// <summary>Security log messages: user names and sources, never passwords, tokens or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Created the first user '{User}' (admin); its password came from {Source}.")]
    public static partial void AdminCreated(this ILogger logger, string user, string source);

    [LoggerMessage(102, LogLevel.Information, "Removed {Count} stale file(s) from {Folder}.")]
    public static partial void StaleFilesRemoved(this ILogger logger, int count, string folder);

    [LoggerMessage(103, LogLevel.Warning, "The Data Protection key ring in {Folder} is not encrypted at rest (only the folder's permissions protect it): whoever copies it can decrypt sessions and protected secrets. Set NasPacs:Security:KeyRingCertificatePath to encrypt it (docs/security.md).")]
    public static partial void KeyRingUnencrypted(this ILogger logger, string folder);

    [LoggerMessage(104, LogLevel.Information, "The Data Protection key ring in {Folder} is encrypted with the certificate {Thumbprint}.")]
    public static partial void KeyRingProtected(this ILogger logger, string folder, string thumbprint);
}
