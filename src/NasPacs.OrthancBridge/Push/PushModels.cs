using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.OrthancBridge;

/// <summary>Where a series comes from: a NAS root's name, its files and its index.</summary>
/// <param name="SourceName">The root's name, written to Orthanc as provenance together with <see cref="IFileSource.DisplayName"/>.</param>
/// <param name="Files">The root's files (the caller keeps ownership unless a job is told otherwise).</param>
/// <param name="Index">The root's index.</param>
public sealed record SeriesOrigin(string SourceName, IFileSource Files, IIndexQuery Index);

/// <summary>One instance the bridge plans to send: a NAS file and where Orthanc will keep it.</summary>
/// <param name="RelativePath">The file below the NAS root.</param>
/// <param name="Size">Its size when indexed.</param>
/// <param name="LastWriteTimeUtc">Its time when indexed.</param>
/// <param name="SopInstanceUid">Its SOP Instance UID, when the index read one.</param>
/// <param name="PredictedId">Orthanc's instance ID computed on the client, when the UIDs are known.</param>
public sealed record PlannedInstance(string RelativePath, long Size, DateTimeOffset LastWriteTimeUtc, string? SopInstanceUid, string? PredictedId);

/// <summary>What Orthanc said about one instance.</summary>
/// <param name="OrthancId">Orthanc's instance ID.</param>
/// <param name="OrthancSeriesId">Orthanc's ID of the instance's series.</param>
/// <param name="AlreadyStored">Orthanc had it already (an idempotent success).</param>
/// <param name="BytesSent">Bytes sent.</param>
public sealed record InstancePushOutcome(string OrthancId, string? OrthancSeriesId, bool AlreadyStored, long BytesSent);

/// <summary>How a series push ended.</summary>
public enum PushOutcome
{
    /// <summary>Orthanc holds every instance of the series.</summary>
    Completed,

    /// <summary>Orthanc holds every instance it accepted; some files were rejected or unreadable (see the errors).</summary>
    CompletedWithErrors,

    /// <summary>Orthanc's instance count after the push differs from the NAS's.</summary>
    Mismatch,

    /// <summary>The push stopped on an error (see the errors); what was sent stays, a new push resumes.</summary>
    Failed,

    /// <summary>The push was cancelled; what was sent stays, a new push resumes.</summary>
    Cancelled,
}

/// <summary>Progress of one series push.</summary>
/// <param name="Total">Instances of the series on the NAS (distinct SOP Instance UIDs).</param>
/// <param name="AlreadyPresent">Instances Orthanc already held before the push.</param>
/// <param name="Uploaded">Instances sent in this push (including ones Orthanc reported as already stored).</param>
/// <param name="Failed">Instances rejected by Orthanc or unreadable on the NAS.</param>
/// <param name="BytesSent">Bytes sent.</param>
public sealed record PushProgress(int Total, int AlreadyPresent, int Uploaded, int Failed, long BytesSent)
{
    /// <summary>Instances dealt with.</summary>
    public int Done => AlreadyPresent + Uploaded + Failed;
}

/// <summary>The result of pushing one series.</summary>
public sealed record SeriesPushResult
{
    /// <summary>The NAS root's name.</summary>
    public required string SourceName { get; init; }

    /// <summary>The NasPacs series key.</summary>
    public required string SeriesKey { get; init; }

    /// <summary>Orthanc's series ID, when known.</summary>
    public string? OrthancSeriesId { get; init; }

    /// <summary>How it ended.</summary>
    public PushOutcome Outcome { get; init; }

    /// <summary>The strategy used (<c>copy</c>).</summary>
    public string Strategy { get; init; } = "";

    /// <summary>Indexed files of the series.</summary>
    public int NasFiles { get; init; }

    /// <summary>Distinct instances among them.</summary>
    public int NasInstances { get; init; }

    /// <summary>Instances Orthanc already held before the push.</summary>
    public int AlreadyPresent { get; init; }

    /// <summary>Instances sent.</summary>
    public int Uploaded { get; init; }

    /// <summary>Instances rejected or unreadable.</summary>
    public int Failed { get; init; }

    /// <summary>Bytes sent.</summary>
    public long BytesSent { get; init; }

    /// <summary>Instances of the series in Orthanc after the push, as Orthanc counted them.</summary>
    public int? OrthancInstances { get; init; }

    /// <summary>Whether the provenance metadata was written.</summary>
    public bool MetadataWritten { get; init; }

    /// <summary>Whether the label was added (Orthanc ≥ 1.12 only).</summary>
    public bool Labelled { get; init; }

    /// <summary>The manifest hash written as provenance.</summary>
    public string? ManifestHash { get; init; }

    /// <summary>Start time.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>End time.</summary>
    public DateTimeOffset EndedAt { get; init; }

    /// <summary>What went wrong: rejected files (with their paths), metadata problems, the failure that stopped the push.</summary>
    public IReadOnlyList<ErrorReport> Errors { get; init; } = [];
}

/// <summary>Whether an indexed series is in Orthanc.</summary>
public enum SyncState
{
    /// <summary>Orthanc holds none of its instances.</summary>
    Absent,

    /// <summary>Orthanc holds some of its instances.</summary>
    Partial,

    /// <summary>Orthanc holds all of them, and nothing changed on the NAS since the last push.</summary>
    Complete,

    /// <summary>The NAS changed since the last push (manifest hash differs), or Orthanc holds instances the NAS does not.</summary>
    Drifted,

    /// <summary>The series lacks the UIDs that Orthanc's IDs are made from, so its place in Orthanc cannot be predicted.</summary>
    Unknown,
}

/// <summary>The sync state of one series, worked out from predicted IDs (no scan of Orthanc).</summary>
public sealed record SeriesSyncState
{
    /// <summary>The NasPacs series key.</summary>
    public required string SeriesKey { get; init; }

    /// <summary>The predicted Orthanc series ID.</summary>
    public string? OrthancSeriesId { get; init; }

    /// <summary>The state.</summary>
    public SyncState State { get; init; }

    /// <summary>Distinct instances on the NAS.</summary>
    public int NasInstances { get; init; }

    /// <summary>Of those, how many Orthanc holds.</summary>
    public int PresentInOrthanc { get; init; }

    /// <summary>Instances Orthanc holds in the series that the NAS does not have.</summary>
    public int ExtraInOrthanc { get; init; }

    /// <summary>The manifest hash of the NAS files now.</summary>
    public string ManifestHash { get; init; } = "";

    /// <summary>The manifest hash recorded at the last push, if Orthanc has one.</summary>
    public string? RecordedManifestHash { get; init; }

    /// <summary>When the series was last pushed, as recorded in Orthanc.</summary>
    public string? LastPushTime { get; init; }

    /// <summary>Why the state is what it is, for a person.</summary>
    public string Reason { get; init; } = "";
}

/// <summary>Whether Orthanc accepts a metadata name.</summary>
public enum MetadataDeclaration
{
    /// <summary>Declared in its <c>UserMetadata</c>.</summary>
    Declared,

    /// <summary>Not declared (Orthanc answers 404).</summary>
    NotDeclared,

    /// <summary>One of Orthanc's own names (Orthanc answers 403).</summary>
    Reserved,

    /// <summary>Not checked (Orthanc unreachable).</summary>
    Unknown,
}

/// <summary>One provenance metadata name and whether Orthanc accepts it.</summary>
/// <param name="Name">The name.</param>
/// <param name="State">Whether Orthanc accepts it.</param>
public sealed record MetadataNameState(string Name, MetadataDeclaration State);

/// <summary>The connection to Orthanc as checked now.</summary>
public sealed record OrthancConnectionState
{
    /// <summary>Whether <c>NasPacs:Orthanc:Url</c> is set.</summary>
    public bool Configured { get; init; }

    /// <summary>The configured address.</summary>
    public Uri? Url { get; init; }

    /// <summary>The configured user (never the password).</summary>
    public string? Username { get; init; }

    /// <summary>Whether Orthanc answered at all.</summary>
    public bool Reachable { get; init; }

    /// <summary>Whether it accepted the credentials.</summary>
    public bool Authenticated { get; init; }

    /// <summary>What <c>/system</c> said.</summary>
    public OrthancServerInfo? Server { get; init; }

    /// <summary>The push strategy in use.</summary>
    public string Strategy { get; init; } = "";

    /// <summary>Each provenance metadata name and whether Orthanc accepts it.</summary>
    public IReadOnlyList<MetadataNameState> Metadata { get; init; } = [];

    /// <summary>What is wrong, with a suggestion; <see langword="null"/> when all is well.</summary>
    public ErrorReport? Problem { get; init; }

    /// <summary>When this was checked.</summary>
    public DateTimeOffset CheckedAt { get; init; }
}
