using System.Diagnostics.CodeAnalysis;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.OrthancBridge;

/// <summary>What a push job sends: series of one NAS root, named by key or by a search.</summary>
/// <param name="Origin">The root.</param>
/// <param name="SeriesKeys">Series to push by key, or <see langword="null"/>.</param>
/// <param name="Search">Push every series matching this search (all pages), or <see langword="null"/>.</param>
public sealed record PushJobSource(SeriesOrigin Origin, IReadOnlyList<string>? SeriesKeys = null, SeriesSearch? Search = null);

/// <summary>A push job to start.</summary>
public sealed record PushJobRequest
{
    /// <summary>What to push, root by root.</summary>
    public required IReadOnlyList<PushJobSource> Sources { get; init; }

    /// <summary>A short description for people (for example the search text).</summary>
    public string Description { get; init; } = "";

    /// <summary>Whether the job disposes each origin's file source when it ends. Default <see langword="false"/>.</summary>
    public bool OwnsFileSources { get; init; }
}

/// <summary>Where a push job is.</summary>
public enum PushJobState
{
    /// <summary>Sending.</summary>
    Running,

    /// <summary>Paused: no new file is sent until resumed.</summary>
    Paused,

    /// <summary>Every series pushed completely.</summary>
    Completed,

    /// <summary>Done; some series or files failed (see the results).</summary>
    CompletedWithErrors,

    /// <summary>Cancelled; what was sent stays, a new push resumes.</summary>
    Cancelled,

    /// <summary>Stopped because Orthanc cannot be used (unreachable, credentials, storage full); see the error.</summary>
    Failed,
}

/// <summary>A snapshot of a push job.</summary>
public sealed record PushJobStatus
{
    /// <summary>The job's id.</summary>
    public required string Id { get; init; }

    /// <summary>What it pushes, for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where it is.</summary>
    public PushJobState State { get; init; }

    /// <summary>Whether it is still running or paused.</summary>
    public bool Active => State is PushJobState.Running or PushJobState.Paused;

    /// <summary>Series to push.</summary>
    public int SeriesTotal { get; init; }

    /// <summary>Series finished (any outcome).</summary>
    public int SeriesDone { get; init; }

    /// <summary>Series that did not complete.</summary>
    public int SeriesFailed { get; init; }

    /// <summary>Files of all series, as indexed.</summary>
    public long FilesTotal { get; init; }

    /// <summary>Instances dealt with (sent, already there, failed).</summary>
    public long InstancesDone { get; init; }

    /// <summary>Instances sent.</summary>
    public long Uploaded { get; init; }

    /// <summary>Instances Orthanc already held.</summary>
    public long AlreadyPresent { get; init; }

    /// <summary>Instances rejected or unreadable.</summary>
    public long Failed { get; init; }

    /// <summary>Bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>The series being pushed now.</summary>
    public string? CurrentSeries { get; init; }

    /// <summary>Start time.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>End time, once ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why the job stopped, when it failed.</summary>
    public ErrorReport? Error { get; init; }

    /// <summary>Each finished series, in order.</summary>
    public IReadOnlyList<SeriesPushResult> Results { get; init; } = [];
}

/// <summary>A running or finished push job.</summary>
public interface IPushJob
{
    /// <summary>The job's id.</summary>
    string Id { get; }

    /// <summary>A snapshot now.</summary>
    PushJobStatus Status { get; }

    /// <summary>Stops sending new files until <see cref="Resume"/>; files in flight finish.</summary>
    void Pause();

    /// <summary>Continues a paused job.</summary>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Pause and resume are the operations the issue and the UI name.")]
    void Resume();

    /// <summary>Stops the job; what was sent stays.</summary>
    void Cancel();

    /// <summary>Completes with the final status when the job ends.</summary>
    Task<PushJobStatus> Completion { get; }
}
