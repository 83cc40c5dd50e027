using NasPacs.Abstractions.Errors;

namespace NasPacs.OrthancBridge;

/// <summary>An Orthanc request or push failed, classified with a code, a suggestion and whether a retry may help.</summary>
public sealed class OrthancException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OrthancException(ErrorCategory category, string code, string message, string suggestion, bool isTransient, int? statusCode = null, string? path = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        Code = code;
        Suggestion = suggestion;
        IsTransient = isTransient;
        StatusCode = statusCode;
        RelativePath = path;
    }

    /// <summary>Creates an unclassified exception.</summary>
    public OrthancException() : this("The Orthanc request failed.") { }

    /// <summary>Creates an unclassified exception.</summary>
    public OrthancException(string message) : this(message, null!) { }

    /// <summary>Creates an unclassified exception.</summary>
    public OrthancException(string message, Exception innerException)
        : this(ErrorCategory.System, OrthancErrorCodes.UnexpectedResponse, message, "See the server log.", false, null, null, innerException) { }

    /// <summary>What kind of failure this is.</summary>
    public ErrorCategory Category { get; }

    /// <summary>A stable code from <see cref="OrthancErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>What a person can do about it.</summary>
    public string Suggestion { get; }

    /// <summary>Whether trying again later may succeed (feeds the retry policy).</summary>
    public bool IsTransient { get; }

    /// <summary>Orthanc's HTTP status, when it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>The NAS file concerned, relative to its root, if any.</summary>
    public string? RelativePath { get; }

    /// <summary>The failure as an <see cref="ErrorReport"/>.</summary>
    public ErrorReport ToReport(DateTimeOffset timestamp, int retryCount = 0)
        => new(Category, Code, Message, Suggestion, RelativePath, timestamp, retryCount, IsTransient);
}
