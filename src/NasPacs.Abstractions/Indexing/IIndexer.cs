using System.Diagnostics.CodeAnalysis;
using NasPacs.Abstractions.Files;

namespace NasPacs.Abstractions.Indexing;

/// <summary>Starts index runs over a file source into one index database.</summary>
public interface IIndexer
{
    /// <summary>
    /// Starts a run over <paramref name="source"/>: walks it, reads the headers of new and changed candidates, removes
    /// vanished files after a complete walk. Only one run at a time may use an index.
    /// </summary>
    /// <param name="source">The tree to index; the caller keeps ownership.</param>
    /// <param name="cancellationToken">Cancels the run, like <see cref="IIndexRun.Cancel"/>.</param>
    /// <exception cref="IndexingException">The index cannot be opened, is busy, or belongs to another root.</exception>
    Task<IIndexRun> StartAsync(IFileSource source, CancellationToken cancellationToken = default);
}

/// <summary>A run in progress: observe it, pause, resume or cancel it, and await its end.</summary>
public interface IIndexRun : IAsyncDisposable
{
    /// <summary>The run's id in the database.</summary>
    long RunId { get; }

    /// <summary>The latest status snapshot.</summary>
    IndexStatus Status { get; }

    /// <summary>Raised (on a worker thread) whenever a new snapshot is published, at least every <c>ChunkSize</c> files.</summary>
    event EventHandler<IndexStatus>? StatusChanged;

    /// <summary>Stops reading new files until <see cref="Resume"/>; in-flight files finish.</summary>
    void Pause();

    /// <summary>Continues a paused run.</summary>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Pause and resume are the operations the issue and the UI name.")]
    void Resume();

    /// <summary>Stops the run cleanly: in-flight work is written, deletions are not swept, a re-run resumes.</summary>
    void Cancel();

    /// <summary>Completes with the final status (<see cref="IndexState.Completed"/>, <see cref="IndexState.Cancelled"/> or <see cref="IndexState.Failed"/>).</summary>
    Task<IndexStatus> Completion { get; }
}
