using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;

namespace NasPacs.Indexing.Pipeline;

/// <summary>What the index held for a file at the start of the run.</summary>
internal readonly record struct KnownFile(long Id, long Size, long Mtime, IndexedFileState State, long? SeriesId);

/// <summary>
/// A file whose header must be read: new, changed, or unreadable last time. <paramref name="Folder"/> is one string shared
/// by the files of a folder; the name is the end of the entry's path (a string per file each was 8 % of a first index's
/// allocations).
/// </summary>
internal sealed record WorkItem(FileEntry Entry, string Folder, KnownFile? Known)
{
    /// <summary>The file's name: the entry's path after its last slash.</summary>
    public ReadOnlySpan<char> Name => Entry.RelativePath.AsSpan(Entry.RelativePath.LastIndexOf('/') + 1);
}

/// <summary>Something the single writer must do in its next transaction.</summary>
internal abstract record WriteCommand
{
    /// <summary>How many rows this command writes, for the writer's batch size.</summary>
    public virtual int Rows => 1;
}

/// <summary>
/// Store the outcome of reading one file. The series is known by its key; its values travel raw, decoded by the writer
/// only for a series it has not met in this run (profiled: decoding them for every file was per-file garbage for
/// nothing). A reader attaches the same snapshot to every file whose series values are byte for byte the same.
/// </summary>
internal sealed record FileResult(
    WorkItem Item,
    IndexedFileState State,
    string? SeriesKey,
    DicomValueSnapshot? Series,
    string? SopInstanceUid,
    int? InstanceNumber,
    string? TransferSyntaxUid,
    ErrorReport? Error,
    bool Vanished,
    long BytesRead) : WriteCommand;

/// <summary>The results one reader produced from one batch of work: one channel hand-off instead of one per file.</summary>
internal sealed record FileResults(IReadOnlyList<FileResult> Results) : WriteCommand
{
    public override int Rows => Results.Count;
}

/// <summary>Store an error that belongs to no file row (a folder that could not be listed).</summary>
internal sealed record ErrorCommand(ErrorReport Error) : WriteCommand;

/// <summary>Remove files that vanished (the sweep after a complete walk).</summary>
internal sealed record DeleteCommand(IReadOnlyList<long> FileIds) : WriteCommand;
