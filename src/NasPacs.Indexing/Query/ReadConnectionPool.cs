using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Query;

/// <summary>
/// Query-only connections to one index file, opened once and reused: a search then starts with a warm page cache and a
/// memory-mapped file instead of opening the file, reading the schema and an empty cache each time. WAL keeps them from
/// blocking (or being blocked by) the writer, and each statement outside a transaction reads the newest commit.
/// </summary>
internal sealed class ReadConnectionPool : IDisposable
{
    /// <summary>
    /// Idle connections kept; more are opened under load and closed when they come back. The server's thread pool runs
    /// more searches at once than there are cores (12 on two cores with 50 clients), and each connection opened past
    /// this number costs a schema read and a cold cache, so the floor is 32.
    /// </summary>
    public static readonly int MaxIdle = Math.Clamp(Environment.ProcessorCount * 8, 32, 128);

    // mmap serves pages straight from the OS cache (no copy into SQLite's cache); 1 GiB covers a 10-million-file index.
    // The private cache stays small because with mmap it holds little more than page headers.
    private const string Pragmas =
        "PRAGMA query_only = ON; PRAGMA busy_timeout = 30000; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -8000; PRAGMA mmap_size = 1073741824;";

    private readonly IndexDatabase _database;
    private readonly string _connectionString;
    private readonly ConcurrentBag<PooledConnection> _idle = [];
    private readonly Lock _readyLock = new();
    private volatile bool _ready;
    private int _idleCount;
    private int _opened;
    private volatile bool _disposed;

    public ReadConnectionPool(IndexDatabase database)
    {
        _database = database;

        // Read-write at the file level so that a reader can map the WAL index even when no writer is open; query_only
        // (above) is what keeps these connections from writing.
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = database.Path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Connections opened by this pool so far (tests and diagnostics).</summary>
    public int Opened => _opened;

    /// <summary>A connection for one query; dispose the lease to give it back.</summary>
    public Lease Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return new Lease(this, connection);
        }

        EnsureMigrated();
        return new Lease(this, OpenNew());
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>
    /// A connection and the statements prepared on it, by their SQL. Preparing costs more than running most searches:
    /// 0.05–0.3 ms for each of a search's three or four statements (the page's select of 23 columns, the full-text
    /// table's setup), against 0.02–0.04 ms to run them prepared.
    /// </summary>
    public sealed class PooledConnection(SqliteConnection connection) : IDisposable
    {
        /// <summary>Statements kept per connection; past it they are prepared again (searches use a few dozen shapes).</summary>
        public const int MaxStatements = 64;

        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public SqliteConnection Connection { get; } = connection;

        /// <summary>The prepared command for <paramref name="sql"/>, in <paramref name="transaction"/>, without parameters.</summary>
        public SqliteCommand Command(string sql, SqliteTransaction? transaction)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                if (_commands.Count >= MaxStatements)
                {
                    DisposeCommands();
                }

                command = Connection.CreateCommand();
                command.CommandText = sql;
                _commands.Add(sql, command);
            }

            command.Transaction = transaction;
            command.Parameters.Clear();
            return command;
        }

        public void Dispose()
        {
            DisposeCommands();
            Connection.Dispose();
        }

        private void DisposeCommands()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }

    /// <summary>The first use creates and migrates the file through the writer's path; a failure is retried by the next use.</summary>
    private void EnsureMigrated()
    {
        if (_ready)
        {
            return;
        }

        lock (_readyLock)
        {
            if (!_ready)
            {
                using var first = _database.Open();
                _ready = true;
            }
        }
    }

    private PooledConnection OpenNew()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            IndexDatabase.Execute(connection, Pragmas);
            Interlocked.Increment(ref _opened);
            return new PooledConnection(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new IndexingException(
                ErrorCategory.System,
                ErrorCodes.IoError,
                $"The index database '{_database.Path}' cannot be opened for reading: {ex.Message}",
                "Check that the file is a NasPacs index and that it is readable.",
                ex);
        }
    }

    private void Return(PooledConnection connection)
    {
        if (_disposed || connection.Connection.State != System.Data.ConnectionState.Open)
        {
            connection.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }

        _idle.Add(connection);
        if (_disposed)
        {
            Dispose();
        }
    }

    /// <summary>One rented connection.</summary>
    public readonly struct Lease(ReadConnectionPool pool, PooledConnection connection) : IDisposable
    {
        public SqliteConnection Connection => connection.Connection;

        /// <summary>The connection's prepared command for <paramref name="sql"/> (see <see cref="PooledConnection"/>).</summary>
        public SqliteCommand Command(string sql, SqliteTransaction? transaction = null) => connection.Command(sql, transaction);

        public void Dispose() => pool.Return(connection);
    }
}
