using Microsoft.Extensions.Logging;

namespace NasPacs.OrthancBridge;

/// <summary>Log messages: series keys (UIDs), paths, codes and counts only; never patient data, never credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Pushing series {SeriesKey} from {Source}: {Missing} of {Total} instances missing in Orthanc.")]
    public static partial void PushStarting(this ILogger logger, string seriesKey, string source, int missing, int total);

    [LoggerMessage(2, LogLevel.Information, "Series {SeriesKey} pushed: {Outcome}, {Uploaded} sent, {Present} already there, {Failed} failed, Orthanc holds {OrthancCount}.")]
    public static partial void PushEnded(this ILogger logger, string seriesKey, PushOutcome outcome, int uploaded, int present, int failed, int? orthancCount);

    [LoggerMessage(3, LogLevel.Warning, "Orthanc did not take {Path}: {Code}.")]
    public static partial void InstanceFailed(this ILogger logger, string path, string code);

    [LoggerMessage(4, LogLevel.Warning, "Push of series {SeriesKey} stopped: {Code}.")]
    public static partial void PushFailed(this ILogger logger, string seriesKey, string code);

    [LoggerMessage(5, LogLevel.Warning, "Provenance metadata not written to series {OrthancSeriesId}: {Code}.")]
    public static partial void MetadataFailed(this ILogger logger, string orthancSeriesId, string code);

    [LoggerMessage(6, LogLevel.Information, "Orthanc request retry {Attempt} in {Delay} after {Code}.")]
    public static partial void Retrying(this ILogger logger, int attempt, TimeSpan delay, string code);

    [LoggerMessage(7, LogLevel.Warning, "Orthanc keeps failing ({Code}); requests held back for {Duration}.")]
    public static partial void CircuitOpened(this ILogger logger, TimeSpan duration, string code);

    [LoggerMessage(8, LogLevel.Information, "Push job {JobId} ended {State}: {Series} series, {Uploaded} instances sent.")]
    public static partial void JobEnded(this ILogger logger, string jobId, PushJobState state, int series, long uploaded);
}
