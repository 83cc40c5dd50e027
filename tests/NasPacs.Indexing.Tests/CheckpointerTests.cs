using NasPacs.Indexing.Storage;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

public sealed class CheckpointerTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-checkpoint");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Signal_AfterCommits_CopiesThemIntoTheDatabaseWhileTheWriterStaysOpen()
    {
        var database = new IndexDatabase(_folder.Combine("index.db"));
        using var writer = database.Open();
        IndexDatabase.Execute(writer, "PRAGMA wal_autocheckpoint = 0"); // only the checkpointer copies
        var before = new FileInfo(database.Path).Length;
        using (var transaction = writer.BeginTransaction())
        {
            IndexDatabase.Execute(writer, "CREATE TABLE t (x BLOB)", transaction);
            for (var i = 0; i < 200; i++)
            {
                IndexDatabase.Execute(writer, "INSERT INTO t VALUES (zeroblob(1000))", transaction);
            }

            transaction.Commit();
        }

        Assert.Equal(before, new FileInfo(database.Path).Length); // the commit is in the WAL only
        using var checkpointer = new Checkpointer(database.Open());

        checkpointer.Signal();
        var waited = TimeSpan.Zero;
        while (checkpointer.Completed == 0 && waited < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
            waited += TimeSpan.FromMilliseconds(10);
        }

        Assert.Equal(1, checkpointer.Completed);
        Assert.True(new FileInfo(database.Path).Length >= before + (200 * 1000), "the rows are in the database file");
        Assert.Equal(200, IndexDatabase.Scalar(writer, "SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public void Dispose_Twice_ClosesItsConnectionOnce()
    {
        var database = new IndexDatabase(_folder.Combine("index.db"));
        var connection = database.Open();
        var checkpointer = new Checkpointer(connection);
        checkpointer.Signal();

        checkpointer.Dispose();
        checkpointer.Dispose();

        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);
    }
}
