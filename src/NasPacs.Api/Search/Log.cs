namespace NasPacs.Api.Search;

/// <summary>Search log messages: counts and settings only, never the search text (it can hold a patient's name).</summary>
internal static partial class Log
{
    [LoggerMessage(201, LogLevel.Warning,
        "Refused {Count} search(es) with 503 in the last {Seconds:0} s ({Reason}). If this recurs, raise NasPacs:Search:QueueLimit or NasPacs:Search:MaxWait, or give the server more cores.")]
    public static partial void SearchesRefused(this ILogger logger, long count, double seconds, string reason);
}
