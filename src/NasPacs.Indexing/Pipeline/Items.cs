using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Pipeline;

/// <summary>What the index held for a file at the start of the run.</summary>
internal readonly record struct KnownFile(long Id, long Size, long Mtime, IndexedFileState State, long? SeriesId);

/// <summary>A file whose header must be read: new, changed, or unreadable last time.</summary>
internal sealed record WorkItem(FileEntry Entry, string Folder, string Name, KnownFile? Known);

/// <summary>Something the single writer must do in its next transaction.</summary>
internal abstract record WriteCommand;

/// <summary>Store the outcome of reading one file.</summary>
internal sealed record FileResult(
    WorkItem Item,
    IndexedFileState State,
    SeriesSummary? Series,
    string? SopInstanceUid,
    int? InstanceNumber,
    string? TransferSyntaxUid,
    ErrorReport? Error,
    bool Vanished,
    long BytesRead) : WriteCommand;

/// <summary>Store an error that belongs to no file row (a folder that could not be listed).</summary>
internal sealed record ErrorCommand(ErrorReport Error) : WriteCommand;

/// <summary>Remove files that vanished (the sweep after a complete walk).</summary>
internal sealed record DeleteCommand(IReadOnlyList<long> FileIds) : WriteCommand;
