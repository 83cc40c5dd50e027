namespace NasPacs.Abstractions.Errors;

/// <summary>
/// One failure, explained: the design's <c>ErrorReport</c>. Messages and paths never contain patient data
/// beyond the file path itself.
/// </summary>
/// <param name="Category">The error class.</param>
/// <param name="Code">A stable, machine-readable code (see <see cref="ErrorCodes"/>).</param>
/// <param name="Message">What happened, for a person.</param>
/// <param name="Suggestion">What a person can do about it.</param>
/// <param name="Path">The file or folder concerned, relative to the root, if any.</param>
/// <param name="Timestamp">When it happened.</param>
/// <param name="RetryCount">How many times the operation was retried before giving up.</param>
/// <param name="IsTransient">Whether trying again later may succeed.</param>
public sealed record ErrorReport(
    ErrorCategory Category,
    string Code,
    string Message,
    string Suggestion,
    string? Path,
    DateTimeOffset Timestamp,
    int RetryCount = 0,
    bool IsTransient = false);
