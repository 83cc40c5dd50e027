namespace NasPacs.OrthancBridge;

/// <summary>
/// How one NAS file becomes an Orthanc instance. The bridge plans (what is missing), bounds concurrency, retries,
/// reports progress, writes provenance and verifies; a strategy only moves one instance. <c>copy</c> uploads the bytes
/// with <c>POST /instances</c>; an in-place <c>adopt</c> strategy (Orthanc ≥ 1.12.8 with its advanced-storage plugin)
/// can be added beside it without touching callers.
/// </summary>
public interface IPushStrategy
{
    /// <summary>The name used in <c>NasPacs:Orthanc:Strategy</c>.</summary>
    string Name { get; }

    /// <summary>Why this strategy cannot work with <paramref name="server"/>, or <see langword="null"/> when it can.</summary>
    string? Unsupported(OrthancServerInfo server);

    /// <summary>Makes Orthanc hold <paramref name="instance"/>. Called again on a transient failure.</summary>
    /// <exception cref="OrthancException">Classified failure; <see cref="OrthancException.IsTransient"/> decides a retry.</exception>
    ValueTask<InstancePushOutcome> PushAsync(SeriesOrigin origin, PlannedInstance instance, CancellationToken cancellationToken);
}
