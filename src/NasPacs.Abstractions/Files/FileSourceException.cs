using NasPacs.Abstractions.Errors;

namespace NasPacs.Abstractions.Files;

/// <summary>A file or folder could not be read from a <see cref="IFileSource"/>.</summary>
public class FileSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FileSourceException(ErrorCategory category, string code, string message, string? relativePath = null, bool isTransient = false, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        Code = code;
        RelativePath = relativePath;
        IsTransient = isTransient;
    }

    /// <summary>Creates the exception with a generic file-system category.</summary>
    public FileSourceException() : this(ErrorCategory.FileSystem, ErrorCodes.IoError, "The file source failed.") { }

    /// <summary>Creates the exception with a generic file-system category.</summary>
    public FileSourceException(string message) : this(ErrorCategory.FileSystem, ErrorCodes.IoError, message) { }

    /// <summary>Creates the exception with a generic file-system category.</summary>
    public FileSourceException(string message, Exception innerException) : this(ErrorCategory.FileSystem, ErrorCodes.IoError, message, null, false, innerException) { }

    /// <summary>What kind of failure this is.</summary>
    public ErrorCategory Category { get; }

    /// <summary>A stable, machine-readable code (see <see cref="ErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>The file or folder concerned, relative to the source's root.</summary>
    public string? RelativePath { get; }

    /// <summary>Whether trying again later may succeed (a dropped connection, a timeout, a busy server).</summary>
    public bool IsTransient { get; }
}
