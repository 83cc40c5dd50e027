using Microsoft.Extensions.Logging;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Pipeline;

/// <summary>The indexer's log messages: paths, counts and ids only, never patient data.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Index run {RunId} started on {Root}")]
    public static partial void RunStarted(this ILogger logger, long runId, string root);

    [LoggerMessage(2, LogLevel.Information, "Index run {RunId} ended {State}: {Processed} processed, {New} new, {Modified} modified, {Unchanged} unchanged, {Removed} removed, {Errors} errors")]
    public static partial void RunFinished(this ILogger logger, long runId, IndexState state, long processed, long @new, long modified, long unchanged, long removed, long errors);

    [LoggerMessage(3, LogLevel.Warning, "The status file {Path} could not be written: {Reason}")]
    public static partial void StatusFileFailed(this ILogger logger, string path, string reason);

    [LoggerMessage(4, LogLevel.Error, "An index stage failed")]
    public static partial void StageFailed(this ILogger logger, Exception exception);
}
