using NasPacs.Abstractions.Errors;

namespace NasPacs.Abstractions.Indexing;

/// <summary>
/// A snapshot of an index run: the design's <c>IndexStatus</c> fields (enumerated files, files processed, series count,
/// errors, running, last updated, estimated completion) plus the phase, rates and what changed.
/// Written as <c>index_status.json</c> with snake_case names, so the design's field names stay as they were.
/// </summary>
public sealed record IndexStatus
{
    /// <summary>DICOM candidates found by the walk so far.</summary>
    public long EnumeratedFiles { get; init; }

    /// <summary>Candidates fully handled: unchanged, read and written, or failed and reported.</summary>
    public long FilesProcessed { get; init; }

    /// <summary>Series in the index.</summary>
    public long SeriesCount { get; init; }

    /// <summary>Error reports in this run.</summary>
    public long Errors { get; init; }

    /// <summary>Whether the run is still going (including paused).</summary>
    public bool Running { get; init; }

    /// <summary>When this snapshot was taken.</summary>
    public DateTimeOffset LastUpdated { get; init; }

    /// <summary>When the run is expected to end, from the processing rate; <see langword="null"/> while unknown.</summary>
    public DateTimeOffset? EstimatedCompletion { get; init; }

    /// <summary>The run's state.</summary>
    public IndexState Phase { get; init; }

    /// <summary>The run's id in the database, 0 before it has one.</summary>
    public long RunId { get; init; }

    /// <summary>The root being indexed, as its source names it.</summary>
    public string Root { get; init; } = "";

    /// <summary>When the run started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Folders listed so far.</summary>
    public long FoldersSeen { get; init; }

    /// <summary>All files the walk saw, candidates or not.</summary>
    public long FilesSeen { get; init; }

    /// <summary>Files processed per second, averaged over the last few seconds of work.</summary>
    public double FilesPerSecond { get; init; }

    /// <summary>Header bytes read from the source.</summary>
    public long BytesRead { get; init; }

    /// <summary>Files new to the index in this run.</summary>
    public long NewFiles { get; init; }

    /// <summary>Files whose size or time changed, read again.</summary>
    public long ModifiedFiles { get; init; }

    /// <summary>Files whose size and time did not change: skipped without reading.</summary>
    public long UnchangedFiles { get; init; }

    /// <summary>Files removed from the index because they vanished.</summary>
    public long RemovedFiles { get; init; }

    /// <summary>Candidates that turned out not to be DICOM.</summary>
    public long NotDicomFiles { get; init; }

    /// <summary>DICOMDIR files recognised and not indexed as images.</summary>
    public long DicomDirFiles { get; init; }

    /// <summary>Error reports by class.</summary>
    public IReadOnlyDictionary<ErrorCategory, long> ErrorsByCategory { get; init; } = new Dictionary<ErrorCategory, long>();

    /// <summary>Why the run failed, when <see cref="Phase"/> is <see cref="IndexState.Failed"/>.</summary>
    public string? FailureMessage { get; init; }
}
