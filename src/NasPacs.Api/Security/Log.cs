namespace NasPacs.Api.Security;

/// <summary>Security log messages: user names and sources, never passwords, tokens or secrets.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Warning, "Created the first user '{User}' (admin); its password came from {Source}.")]
    public static partial void AdminCreated(this ILogger logger, string user, string source);

    [LoggerMessage(102, LogLevel.Information, "Removed {Count} stale file(s) from {Folder}.")]
    public static partial void StaleFilesRemoved(this ILogger logger, int count, string folder);
}
