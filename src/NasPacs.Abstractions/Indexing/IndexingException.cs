using NasPacs.Abstractions.Errors;

namespace NasPacs.Abstractions.Indexing;

/// <summary>An index run could not start or could not go on (the database, the root, a setting).</summary>
public class IndexingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexingException(ErrorCategory category, string code, string message, string suggestion, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        Code = code;
        Suggestion = suggestion;
    }

    /// <summary>Creates the exception as a system error.</summary>
    public IndexingException() : this(ErrorCategory.System, ErrorCodes.IoError, "Indexing failed.", "") { }

    /// <summary>Creates the exception as a system error.</summary>
    public IndexingException(string message) : this(ErrorCategory.System, ErrorCodes.IoError, message, "") { }

    /// <summary>Creates the exception as a system error.</summary>
    public IndexingException(string message, Exception innerException) : this(ErrorCategory.System, ErrorCodes.IoError, message, "", innerException) { }

    /// <summary>What kind of failure this is.</summary>
    public ErrorCategory Category { get; }

    /// <summary>A stable, machine-readable code (see <see cref="ErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>What a person can do about it.</summary>
    public string Suggestion { get; }
}
