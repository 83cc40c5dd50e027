using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Tests;

public class KnownFilesTests
{
    private static SqliteConnection Database()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection);
        IndexDatabase.Execute(connection, "INSERT INTO folders (id, path) VALUES (1, 'a'), (2, 'b')");
        IndexDatabase.Execute(connection, "INSERT INTO files (folder_id, name, size, mtime, state, run_id) VALUES (1, 'old.dcm', 10, 100, 0, 1), (2, 'gone.dcm', 10, 100, 0, 1)");
        return connection;
    }

    [Fact]
    public void Find_RowsWrittenAfterTheStart_AreFoundAndNeverSwept()
    {
        using var connection = Database();
        using var known = new KnownFiles(connection);
        IndexDatabase.Execute(connection, "INSERT INTO files (folder_id, name, size, mtime, state, run_id) VALUES (1, 'new.dcm', 20, 200, 0, 2)");

        var old = known.Find("a", "old.dcm");
        var written = known.Find("a", "new.dcm");

        Assert.Equal(2, known.MaxIdAtStart);
        Assert.Equal(10, old!.Value.Size);
        Assert.Equal(20, written!.Value.Size);
        Assert.True(known.WasSeen(old.Value.Id));
        Assert.True(known.WasSeen(written.Value.Id));
        Assert.False(known.WasSeen(2));
        Assert.Null(known.Find("a", "missing.dcm"));
    }
}
