using Microsoft.Data.Sqlite;

namespace NasPacs.Testing;

/// <summary>Reads an index database directly, read-only and unpooled, so tests check what is really on disk.</summary>
public static class SqliteProbe
{
    /// <summary>The first column of the first row as a number (0 when there is no row or it is not an integer).</summary>
    public static long Scalar(string databasePath, string sql)
    {
        using var command = Open(databasePath, sql, out var connection);
        using (connection)
        {
            return command.ExecuteScalar() is long value ? value : 0;
        }
    }

    /// <summary>The first column of every row as text; SQL NULL as <c>&lt;null&gt;</c>.</summary>
    public static List<string> Strings(string databasePath, string sql)
    {
        using var command = Open(databasePath, sql, out var connection);
        using (connection)
        {
            using var reader = command.ExecuteReader();
            var values = new List<string>();
            while (reader.Read())
            {
                values.Add(reader.IsDBNull(0) ? "<null>" : reader.GetValue(0).ToString()!);
            }

            return values;
        }
    }

    private static SqliteCommand Open(string databasePath, string sql, out SqliteConnection connection)
    {
        connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
