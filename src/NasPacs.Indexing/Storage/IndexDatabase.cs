using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Storage;

/// <summary>Opens connections to one index file with the pragmas every connection needs, migrating it once.</summary>
internal sealed class IndexDatabase
{
    private readonly string _connectionString;
    private readonly Lock _migrateLock = new();
    private bool _migrated;

    public IndexDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>Opens a connection: WAL (readers never wait for the writer), synchronous NORMAL (durable at each checkpoint, safe against kill -9), a busy timeout.</summary>
    public SqliteConnection Open()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();

            // A new index gets 16 KiB pages (a page size is fixed once the first table exists; older indexes keep 4 KiB):
            // a first index of 20,000 files made 101,005 system calls instead of 109,002 (a quarter of the WAL frames,
            // fewer checkpoint copies) and one of 1,000,000 files took 29.0 instead of 33.2 CPU-s; search.lua's searches
            // cost the same or less on a 100,000-series index (docs/benchmarks.md, session 8).
            Execute(connection, "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000;");
            lock (_migrateLock)
            {
                if (!_migrated)
                {
                    SchemaMigrator.Migrate(connection);
                    _migrated = true;
                }
            }

            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new IndexingException(
                ErrorCategory.System,
                ErrorCodes.IoError,
                $"The index database '{Path}' cannot be opened: {ex.Message}",
                "Check that the file is a NasPacs index, that its folder is writable, and that the disk is not full.",
                ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar() is long value ? value : 0;
    }
}
