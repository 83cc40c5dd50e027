using NasPacs.Abstractions.Errors;

namespace NasPacs.Abstractions.Indexing;

/// <summary>Which part of a result to return.</summary>
/// <param name="Offset">Items to skip; at least 0.</param>
/// <param name="Limit">Items to return; 1 to 1,000.</param>
public sealed record PageRequest(int Offset = 0, int Limit = 50)
{
    /// <summary>The largest <see cref="Limit"/> a query accepts.</summary>
    public const int MaxLimit = 1000;
}

/// <summary>One page of a result and the total number of items.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="Total">
/// Items in the whole result. A series search may stop counting at a limit and then reports one more than the limit
/// ("more than N"; see <see cref="IIndexQuery.SearchSeriesAsync"/>).
/// </param>
/// <param name="Offset">The offset of the first item.</param>
/// <param name="Limit">The page size asked for.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Offset, int Limit);

/// <summary>How series are ordered.</summary>
public enum SeriesSort
{
    /// <summary>Study date, then study time, then series number.</summary>
    StudyDate,

    /// <summary>Patient name.</summary>
    PatientName,

    /// <summary>Modality.</summary>
    Modality,

    /// <summary>Number of files.</summary>
    FileCount,

    /// <summary>When the series was last seen by a run.</summary>
    LastSeen,

    /// <summary>Full-text relevance (only with <see cref="SeriesSearch.Text"/>).</summary>
    Relevance,
}

/// <summary>A series search.</summary>
public sealed record SeriesSearch
{
    /// <summary>Words to find (each word matches as a prefix) in patient name and ID, accession number, study and series descriptions. Empty matches all.</summary>
    public string? Text { get; init; }

    /// <summary>Only this modality (for example <c>CT</c>).</summary>
    public string? Modality { get; init; }

    /// <summary>Only studies on or after this date.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Only studies on or before this date.</summary>
    public DateOnly? To { get; init; }

    /// <summary>The order; default <see cref="SeriesSort.StudyDate"/>.</summary>
    public SeriesSort Sort { get; init; } = SeriesSort.StudyDate;

    /// <summary>Whether the order is descending; default <see langword="true"/> (newest first).</summary>
    public bool Descending { get; init; } = true;

    /// <summary>The page.</summary>
    public PageRequest Page { get; init; } = new();
}

/// <summary>One series as the index holds it. Values are as DICOM wrote them (dates <c>YYYYMMDD</c>, names with <c>^</c>).</summary>
public sealed record SeriesSummary
{
    /// <summary>The stable key: the Series Instance UID, or a fallback (see the indexing docs).</summary>
    public required string SeriesKey { get; init; }

    /// <summary>Patient's Name (0010,0010).</summary>
    public string? PatientName { get; init; }

    /// <summary>Patient ID (0010,0020).</summary>
    public string? PatientId { get; init; }

    /// <summary>Patient's Birth Date (0010,0030).</summary>
    public string? PatientBirthDate { get; init; }

    /// <summary>Patient's Sex (0010,0040).</summary>
    public string? PatientSex { get; init; }

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Study Date (0008,0020).</summary>
    public string? StudyDate { get; init; }

    /// <summary>Study Time (0008,0030).</summary>
    public string? StudyTime { get; init; }

    /// <summary>Study Description (0008,1030).</summary>
    public string? StudyDescription { get; init; }

    /// <summary>Accession Number (0008,0050).</summary>
    public string? AccessionNumber { get; init; }

    /// <summary>Study ID (0020,0010).</summary>
    public string? StudyId { get; init; }

    /// <summary>Institution Name (0008,0080).</summary>
    public string? InstitutionName { get; init; }

    /// <summary>Referring Physician's Name (0008,0090).</summary>
    public string? ReferringPhysicianName { get; init; }

    /// <summary>Series Instance UID (0020,000E), when the files have one.</summary>
    public string? SeriesInstanceUid { get; init; }

    /// <summary>Series Number (0020,0011).</summary>
    public string? SeriesNumber { get; init; }

    /// <summary>Series Date (0008,0021).</summary>
    public string? SeriesDate { get; init; }

    /// <summary>Series Description (0008,103E).</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Modality (0008,0060).</summary>
    public string? Modality { get; init; }

    /// <summary>Body Part Examined (0018,0015).</summary>
    public string? BodyPartExamined { get; init; }

    /// <summary>Files of the series in the index.</summary>
    public long FileCount { get; init; }

    /// <summary>Their total size in bytes.</summary>
    public long TotalBytes { get; init; }

    /// <summary>When a run first saw the series.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When a run last wrote a file of the series.</summary>
    public DateTimeOffset LastSeen { get; init; }
}

/// <summary>What the index knows about one file.</summary>
public enum IndexedFileState
{
    /// <summary>Header read; the file belongs to a series.</summary>
    Indexed,

    /// <summary>Not a DICOM file; remembered so that it is not read again while unchanged.</summary>
    NotDicom,

    /// <summary>A DICOM file that ends inside its header.</summary>
    Truncated,

    /// <summary>A DICOM file whose header breaks the encoding rules.</summary>
    Malformed,

    /// <summary>The file could not be read; it is read again on the next run.</summary>
    Unreadable,

    /// <summary>
    /// A DICOMDIR under another name (its Media Storage SOP Class is the Media Storage Directory): the index of a
    /// file-set, not an image; remembered so that it is not read again while unchanged. A file named DICOMDIR is not read at all.
    /// </summary>
    DicomDir,
}

/// <summary>One file in the index.</summary>
/// <param name="RelativePath">Path below the root, <c>/</c> separators.</param>
/// <param name="Size">Size in bytes when it was read.</param>
/// <param name="LastWriteTimeUtc">Last write time when it was read.</param>
/// <param name="State">What the index knows.</param>
/// <param name="SeriesKey">The series, when indexed.</param>
/// <param name="SopInstanceUid">SOP Instance UID (0008,0018).</param>
/// <param name="InstanceNumber">Instance Number (0020,0013).</param>
/// <param name="TransferSyntaxUid">Transfer Syntax UID (0002,0010).</param>
public sealed record IndexedFile(
    string RelativePath,
    long Size,
    DateTimeOffset LastWriteTimeUtc,
    IndexedFileState State,
    string? SeriesKey,
    string? SopInstanceUid,
    int? InstanceNumber,
    string? TransferSyntaxUid);

/// <summary>An error search.</summary>
public sealed record ErrorSearch
{
    /// <summary>Only this class.</summary>
    public ErrorCategory? Category { get; init; }

    /// <summary>Only this run.</summary>
    public long? RunId { get; init; }

    /// <summary>The page.</summary>
    public PageRequest Page { get; init; } = new();
}

/// <summary>An error report as stored, with its id and run.</summary>
/// <param name="Id">The report's id.</param>
/// <param name="RunId">The run that reported it.</param>
/// <param name="Report">The report.</param>
public sealed record StoredError(long Id, long RunId, ErrorReport Report);

/// <summary>How a run ended.</summary>
public enum IndexRunOutcome
{
    /// <summary>Still running, or the process died (see <see cref="IndexRunInfo.EndedAt"/>).</summary>
    Running,

    /// <summary>Completed; deletions were swept.</summary>
    Completed,

    /// <summary>Cancelled; no deletions were swept.</summary>
    Cancelled,

    /// <summary>Failed.</summary>
    Failed,

    /// <summary>The process ended without recording an outcome (killed); a later run found it.</summary>
    Interrupted,
}

/// <summary>One run as the <c>runs</c> table holds it.</summary>
public sealed record IndexRunInfo
{
    /// <summary>The run's id.</summary>
    public long Id { get; init; }

    /// <summary>The root indexed.</summary>
    public string Root { get; init; } = "";

    /// <summary>Start time.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>End time, when it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>How it ended.</summary>
    public IndexRunOutcome Outcome { get; init; }

    /// <summary>Candidates found.</summary>
    public long EnumeratedFiles { get; init; }

    /// <summary>Candidates handled.</summary>
    public long FilesProcessed { get; init; }

    /// <summary>New files.</summary>
    public long NewFiles { get; init; }

    /// <summary>Changed files.</summary>
    public long ModifiedFiles { get; init; }

    /// <summary>Unchanged files.</summary>
    public long UnchangedFiles { get; init; }

    /// <summary>Removed files.</summary>
    public long RemovedFiles { get; init; }

    /// <summary>Error reports.</summary>
    public long Errors { get; init; }
}

/// <summary>Totals of an index.</summary>
/// <param name="Series">Series.</param>
/// <param name="Files">Files in series.</param>
/// <param name="TotalBytes">Their total size.</param>
/// <param name="OtherFiles">Files tracked that are not in a series (not DICOM, unreadable).</param>
/// <param name="Root">The root the index belongs to, when a run has recorded it.</param>
public sealed record IndexTotals(long Series, long Files, long TotalBytes, long OtherFiles, string? Root);

/// <summary>How the JSON export renders paths.</summary>
public sealed record ExportOptions
{
    /// <summary>
    /// Render file paths as absolute paths below the index's root (with the root's separator, so a UNC root gives
    /// <c>\\nas\share\...</c> as the design shows). Default <see langword="true"/>; <see langword="false"/> writes relative paths.
    /// </summary>
    public bool AbsolutePaths { get; init; } = true;

    /// <summary>Indent the JSON. Default <see langword="false"/>.</summary>
    public bool Indented { get; init; }
}
