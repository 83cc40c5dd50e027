namespace NasPacs.Api.Search;

/// <summary>
/// A search was not run because the server is busy with others: the queue was full, or it waited
/// <c>NasPacs:Search:MaxWait</c> without a turn. Always transient: the same search may succeed after
/// <paramref name="retryAfter"/>.
/// </summary>
internal sealed class SearchBusyException(string message, TimeSpan retryAfter) : Exception(message)
{
    /// <summary>How long the client should wait before it tries again (whole seconds, at least one).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
