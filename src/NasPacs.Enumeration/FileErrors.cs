using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration;

/// <summary>Turns .NET file-system exceptions into classified <see cref="FileSourceException"/>s and error reports.</summary>
internal static class FileErrors
{
    public static FileSourceException FromException(Exception ex, string relativePath) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new FileSourceException(
            ErrorCategory.FileSystem, ErrorCodes.FileVanished, "The file disappeared after it was listed.", relativePath, isTransient: false, ex),
        UnauthorizedAccessException => new FileSourceException(
            ErrorCategory.FileSystem, ErrorCodes.AccessDenied, "Access to the file was denied.", relativePath, isTransient: false, ex),
        _ => new FileSourceException(
            ErrorCategory.FileSystem, ErrorCodes.FileUnreadable, $"The file could not be read: {ex.Message}", relativePath, isTransient: true, ex),
    };

    /// <summary>Whether an exception from listing or reading may go away on a retry.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        FileSourceException fse => fse.IsTransient,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or PathTooLongException => false,
        IOException => true,
        _ => false,
    };

    public static ErrorReport FolderReport(Exception ex, string relativePath, DateTimeOffset now, int retries) => ex switch
    {
        UnauthorizedAccessException => new ErrorReport(
            ErrorCategory.FileSystem,
            ErrorCodes.AccessDenied,
            "The folder could not be listed: access denied.",
            "Give the account running NasPacs permission to list and read this folder, or exclude it.",
            relativePath,
            now,
            retries),
        DirectoryNotFoundException => new ErrorReport(
            ErrorCategory.FileSystem,
            ErrorCodes.FolderUnreadable,
            "The folder disappeared while the tree was being walked.",
            "Nothing to do if it was moved or deleted on purpose; run the index again to pick up its new place.",
            relativePath,
            now,
            retries),
        _ => new ErrorReport(
            ErrorCategory.FileSystem,
            ErrorCodes.FolderUnreadable,
            $"The folder could not be listed: {ex.Message}",
            "Check the connection to the share and that the folder is readable, then run the index again; the rest of the tree was indexed.",
            relativePath,
            now,
            retries,
            IsTransient(ex)),
    };
}
