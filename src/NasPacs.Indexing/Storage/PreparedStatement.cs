using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// One statement prepared once on a connection's handle, bound and read through <c>SQLitePCL.raw</c>, for the per-file
/// statements of the writer and of the re-index's folder lookup. Profiled: <see cref="SqliteCommand"/> boxes every number, copies every string into a new UTF-8 array and
/// creates a data reader per execution, a few per cent of a first index in allocations alone. Strings are encoded
/// exactly as Microsoft.Data.Sqlite encodes them (<see cref="Encoding.UTF8"/>), into one reused buffer that SQLite copies.
/// Errors are thrown as <see cref="SqliteException"/>; waiting on a busy database is the connection's <c>busy_timeout</c>.
/// Not thread-safe, as the connection.
/// </summary>
internal sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[512];

    public PreparedStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>The 1-based index of a named parameter (<c>$name</c>); throws when the statement has none by that name.</summary>
    public int Parameter(string name)
    {
        var index = raw.sqlite3_bind_parameter_index(_statement, name);
        return index > 0 ? index : throw new ArgumentException($"The statement has no parameter {name}.", nameof(name));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) => Check(value is { } number ? raw.sqlite3_bind_int64(_statement, index, number) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return;
        }

        Bind(index, value.AsSpan());
    }

    public void Bind(int index, ReadOnlySpan<char> value)
    {
        if (value.Length == 0)
        {
            // An empty span pins to a null pointer, which SQLite would bind as NULL; '' must stay ''.
            Check(raw.sqlite3_bind_text(_statement, index, ""));
            return;
        }

        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, written)));
    }

    /// <summary>Runs the statement to its end and returns the rows it changed; the bindings stay for the next run.</summary>
    public int Execute()
    {
        try
        {
            int result;
            while ((result = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            // A statement left active would keep the transaction from committing.
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Steps to the next row; false at the end. Call <see cref="Reset"/> before binding again.</summary>
    public bool Read()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        Check(result == raw.SQLITE_DONE ? raw.SQLITE_OK : result);
        return false;
    }

    /// <summary>The row id of the last row this connection inserted (after <see cref="Execute"/> of an INSERT).</summary>
    public long LastInsertRowId() => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>A column of the current row as an integer (0 for NULL).</summary>
    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>A column of the current row as bytes, valid until the next step.</summary>
    public ReadOnlySpan<byte> Bytes(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Ends the current run so that the statement can be bound and run again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _db);
        }
    }
}
