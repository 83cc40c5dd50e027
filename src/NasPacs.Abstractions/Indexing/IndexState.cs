namespace NasPacs.Abstractions.Indexing;

/// <summary>The explicit states of an index run.</summary>
public enum IndexState
{
    /// <summary>No run has started.</summary>
    Idle,

    /// <summary>Walking the tree; files found so far are already being read.</summary>
    Enumerating,

    /// <summary>The walk is done; the remaining headers are being read and written.</summary>
    Indexing,

    /// <summary>Paused by a person; nothing is read until it is resumed.</summary>
    Paused,

    /// <summary>Cancel was asked; in-flight work is being written before the run stops.</summary>
    Cancelling,

    /// <summary>The run finished its walk and wrote everything; deletions were swept.</summary>
    Completed,

    /// <summary>The run stopped on an error it could not work around (the root or the database).</summary>
    Failed,

    /// <summary>The run was cancelled; what was written stays, a re-run resumes.</summary>
    Cancelled,
}
