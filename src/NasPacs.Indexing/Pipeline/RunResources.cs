using System.Runtime.ExceptionServices;
using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Pipeline;

/// <summary>What a run holds exclusively until it ends: the lock file, its writer and lookup connections, and its checkpointer (with its own).</summary>
internal sealed class RunResources(IndexLock lockFile, SqliteConnection writer, SqliteConnection reader, KnownFiles known, Checkpointer checkpointer) : IDisposable
{
    private int _disposed;

    public SqliteConnection Writer { get; } = writer;

    /// <summary>Used only by the lookup stage and the sweep (one thread at a time).</summary>
    public SqliteConnection Reader { get; } = reader;

    public KnownFiles Known { get; } = known;

    /// <summary>Copies the WAL into the database while the run writes; the writer signals it after each commit.</summary>
    public Checkpointer Checkpointer { get; } = checkpointer;

    /// <summary>
    /// Releases every part even when an earlier one failed, the lock file last: a run that could not close a connection
    /// must still let the next run in (SQLite's own locks keep the file safe). A failure is rethrown at the end, several
    /// as one <see cref="AggregateException"/>. Disposing twice does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Exception>? failures = null;
        foreach (var part in (ReadOnlySpan<IDisposable>)[Known, Reader, Checkpointer, Writer, lockFile])
        {
            try
            {
                part.Dispose();
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            if (failures.Count == 1)
            {
                ExceptionDispatchInfo.Throw(failures[0]);
            }

            throw new AggregateException(failures);
        }
    }
}
