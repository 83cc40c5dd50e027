using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Security;

/// <summary>
/// <c>{DataPath}/security.db</c>: users, API token hashes and the append-only audit log. The schema is versioned with
/// <c>PRAGMA user_version</c>; each step below runs once, in order, in one transaction.
/// </summary>
internal sealed class SecurityDatabase
{
    /// <summary>Schema steps; step <c>n</c> brings the database to version <c>n + 1</c>. Never edit a released step: append one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY,
            name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
            role          TEXT    NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
            password_hash TEXT    NOT NULL,
            disabled      INTEGER NOT NULL DEFAULT 0,
            stamp         TEXT    NOT NULL,
            created_at    TEXT    NOT NULL,
            updated_at    TEXT    NOT NULL
        );
        CREATE TABLE api_tokens (
            id           INTEGER PRIMARY KEY,
            user_id      INTEGER NOT NULL REFERENCES users (id),
            name         TEXT    NOT NULL,
            token_hash   BLOB    NOT NULL UNIQUE,
            prefix       TEXT    NOT NULL,
            created_at   TEXT    NOT NULL,
            last_used_at TEXT,
            revoked_at   TEXT
        );
        CREATE TABLE audit (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            at       TEXT    NOT NULL,
            actor    TEXT,
            actor_id INTEGER,
            action   TEXT    NOT NULL,
            target   TEXT,
            status   INTEGER,
            address  TEXT
        );
        CREATE INDEX audit_at ON audit (at);
        -- The audit log is append-only: no code path updates or deletes a row, and the database refuses to.
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    ];

    private readonly string _connectionString;

    public SecurityDatabase(IOptions<NasPacsOptions> options, IHostEnvironment environment)
    {
        var folder = Path.GetFullPath(options.Value.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, "security.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = true, DefaultTimeout = 10 }.ToString();
        CreateOrMigrate();
    }

    public string FilePath { get; }

    /// <summary>The schema version this build writes.</summary>
    public static int Version => Migrations.Length;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private void CreateOrMigrate()
    {
        var isNew = !File.Exists(FilePath);
        using var connection = Open();
        if (isNew && !OperatingSystem.IsWindows())
        {
            // Password hashes and token hashes: readable by the service account only.
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;";
            wal.ExecuteNonQuery();
        }

        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"{FilePath} has schema version {version}, newer than this server's {Migrations.Length}. Run a newer NasPacs or restore a backup.");
        }

        for (var step = version; step < Migrations.Length; step++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
