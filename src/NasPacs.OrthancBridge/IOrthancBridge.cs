using NasPacs.Abstractions.Indexing;

namespace NasPacs.OrthancBridge;

/// <summary>Makes NAS series visible in Orthanc: connection state, series pushes, sync state and background push jobs.</summary>
public interface IOrthancBridge
{
    /// <summary>Whether <c>NasPacs:Orthanc:Url</c> is set.</summary>
    bool IsConfigured { get; }

    /// <summary>Why nothing can be sent to Orthanc (no URL configured), with what to set; null when configured.</summary>
    OrthancException? ConfigurationError { get; }

    /// <summary>Checks Orthanc now: reachable, credentials, version, and whether each provenance metadata name is declared.</summary>
    Task<OrthancConnectionState> GetConnectionStateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Pushes one indexed series: only the instances Orthanc lacks, with bounded concurrency and retries; rejected files
    /// are recorded in the result and the push goes on. Safe to repeat and to resume after a cancel or a crash.
    /// </summary>
    /// <exception cref="OrthancException">Orthanc cannot be used (unreachable, credentials, storage full) or the series is not indexed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; what was sent stays.</exception>
    Task<SeriesPushResult> PushSeriesAsync(SeriesOrigin origin, string seriesKey, IProgress<PushProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Whether Orthanc holds the series, from predicted IDs and the recorded manifest hash (two requests, no scan; no NAS access).</summary>
    /// <exception cref="OrthancException">Orthanc cannot be asked, or the series is not indexed.</exception>
    Task<SeriesSyncState> GetSyncStateAsync(IIndexQuery index, string seriesKey, CancellationToken cancellationToken = default);

    /// <summary>Starts a background push job.</summary>
    IPushJob StartJob(PushJobRequest request);

    /// <summary>The job with this id, while it is kept.</summary>
    IPushJob? FindJob(string id);

    /// <summary>Kept jobs, newest first.</summary>
    IReadOnlyList<IPushJob> Jobs { get; }

    /// <summary>Recent series pushes with their outcome, newest first.</summary>
    IReadOnlyList<SeriesPushResult> RecentPushes { get; }
}
