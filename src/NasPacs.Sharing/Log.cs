using Microsoft.Extensions.Logging;

namespace NasPacs.Sharing;

/// <summary>Log messages of share links: share ids, actions and outcomes only; never tokens, passwords or patient data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Share {ShareId} created for root {Root}, expires {ExpiresAt:o}, password {HasPassword}, max downloads {MaxDownloads}.")]
    public static partial void Created(this ILogger logger, long shareId, string root, DateTimeOffset expiresAt, bool hasPassword, int? maxDownloads);

    [LoggerMessage(2, LogLevel.Information, "Share {ShareId}: {Action} {Outcome}.")]
    public static partial void Access(this ILogger logger, long? shareId, ShareAction action, ShareOutcome outcome);

    [LoggerMessage(3, LogLevel.Information, "Share {ShareId} revoked.")]
    public static partial void Revoked(this ILogger logger, long shareId);

    [LoggerMessage(4, LogLevel.Warning, "Share zip: {Missing} of {Files} files could not be included (changed or vanished since indexing); listed in MISSING.txt.")]
    public static partial void FilesMissing(this ILogger logger, int missing, long files);

    [LoggerMessage(5, LogLevel.Information, "Share zip stopped after {Files} files: the client went away.")]
    public static partial void ZipCancelled(this ILogger logger, int files);
}
