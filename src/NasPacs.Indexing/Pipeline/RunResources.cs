using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Pipeline;

/// <summary>What a run holds exclusively until it ends: the lock file and its two connections.</summary>
internal sealed class RunResources(IndexLock lockFile, SqliteConnection writer, SqliteConnection reader, KnownFiles known) : IDisposable
{
    public SqliteConnection Writer { get; } = writer;

    /// <summary>Used only by the lookup stage and the sweep (one thread at a time).</summary>
    public SqliteConnection Reader { get; } = reader;

    public KnownFiles Known { get; } = known;

    public void Dispose()
    {
        Known.Dispose();
        Reader.Dispose();
        Writer.Dispose();
        lockFile.Dispose();
    }
}
