using NasPacs.Abstractions.Indexing;

namespace NasPacs.Api.Roots;

/// <summary>Server log messages. Root names, run ids, codes and counts only: never patient data, never credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Run {RunId} started on root {Root}.")]
    public static partial void RunStarted(this ILogger logger, string root, long runId);

    [LoggerMessage(2, LogLevel.Information, "Run {RunId} on root {Root} ended {Phase}: {Processed} files processed, {Errors} errors.")]
    public static partial void RunEnded(this ILogger logger, string root, long runId, IndexState phase, long processed, long errors);

    [LoggerMessage(3, LogLevel.Warning, "Could not start a run on root {Root}: {Code}.")]
    public static partial void StartFailed(this ILogger logger, string root, string code);

    [LoggerMessage(4, LogLevel.Error, "A run on root {Root} faulted with {ExceptionType}.")]
    public static partial void RunFaulted(this ILogger logger, string root, string exceptionType);

    [LoggerMessage(5, LogLevel.Information, "Wrote the sample NAS ({Files} synthetic DICOM files) to {Folder}.")]
    public static partial void SampleWritten(this ILogger logger, int files, string folder);

    [LoggerMessage(6, LogLevel.Information, "Serving {Count} NAS root(s): {Roots}. Indexes in {DataPath}.")]
    public static partial void RootsReady(this ILogger logger, int count, string roots, string dataPath);

    [LoggerMessage(7, LogLevel.Information, "Scheduled re-index of root {Root} skipped: its run is still active.")]
    public static partial void ScheduledRunSkipped(this ILogger logger, string root);

    [LoggerMessage(8, LogLevel.Information, "Every root is re-indexed at {Times} (server local time); next at {Next:O}.")]
    public static partial void ScheduleReady(this ILogger logger, string times, DateTimeOffset next);
}
