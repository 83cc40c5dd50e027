using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Tests;

/// <summary>
/// Adds the full-text rows of series a test inserted by hand: since schema V004 the writer adds them (one statement per
/// write transaction), not a trigger, so a row written outside the writer needs the same statement.
/// </summary>
internal static class SeriesTextRows
{
    public static void Add(SqliteConnection connection, long first, long last, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = SeriesText.Insert;
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", last);
        command.ExecuteNonQuery();
    }
}
