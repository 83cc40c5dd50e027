using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// Copies the WAL into the database on its own connection and thread while a run writes, after each commit (several
/// commits while one copy runs make one more copy). Without it the writer's connection did the whole copy when it closed,
/// at the very end of a run: fsync of the WAL (every page version the run wrote, ~3 per page), copy, fsync of the
/// database, removal of the WAL — about 35 ms of a 20,000-file first index during which nothing else could happen. A
/// copy that finds everything copied lets the next commit start the WAL from its beginning, so the WAL stays small.
/// A passive checkpoint never waits for the writer or for readers, and never makes them wait; it is durable (fsyncs)
/// as the close's is. Not thread-safe except <see cref="Signal"/>.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Task _copying;
    private int _disposed;
    private int _completed;

    public Checkpointer(SqliteConnection connection)
    {
        _connection = connection;
        _copying = Task.Run(CopyAsync);
    }

    /// <summary>Checkpoints completed so far (for tests).</summary>
    internal int Completed => Volatile.Read(ref _completed);

    /// <summary>Asks for a copy of what was committed so far; returns at once.</summary>
    public void Signal() => _due.Writer.TryWrite(true);

    /// <summary>Waits for a copy under way to end, then closes the connection. Disposing twice does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _due.Writer.TryComplete();
        try
        {
            _copying.GetAwaiter().GetResult();
        }
        finally
        {
            _connection.Dispose();
        }
    }

    private async Task CopyAsync()
    {
        await foreach (var _ in _due.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                IndexDatabase.Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE)");
                Interlocked.Increment(ref _completed);
            }
            catch (SqliteException)
            {
                // Nothing is lost: the next copy, or the close of the last connection, copies what this one did not.
            }
        }
    }
}
