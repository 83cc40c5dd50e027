using System.Text;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Pipeline;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Tests;

/// <summary>The packed per-folder map of the re-index lookup, and KnownFiles reading folders into it.</summary>
public class FolderFilesTests
{
    [Fact]
    public void TryGet_ManyNamesNonAsciiAndReuse_FindsExactlyTheAddedOnes()
    {
        var files = new FolderFiles();
        for (var round = 0; round < 2; round++)
        {
            files.Clear();
            var names = Enumerable.Range(0, 1000).Select(i => $"IM{i:D4}{(i % 3 == 0 ? ".dcm" : "")}").Append("Müller 日本.dcm").Append("").ToList();
            for (var i = 0; i < names.Count; i++)
            {
                files.Add(Encoding.UTF8.GetBytes(names[i]), new KnownFile(i + 1, 100 + i, 1000 + i, IndexedFileState.Indexed, round == 0 ? null : i));
            }

            files.Seal();

            Assert.Equal(names.Count, files.Count);
            for (var i = 0; i < names.Count; i++)
            {
                Assert.True(files.TryGet(names[i], out var found), names[i]);
                Assert.Equal(i + 1, found.Id);
                Assert.Equal(100 + i, found.Size);
                Assert.Equal(round == 0 ? null : i, found.SeriesId);
            }

            Assert.False(files.TryGet("IM0000", out _));
            Assert.False(files.TryGet("im0001", out _));
            Assert.False(files.TryGet("Müller 日本.DCM", out _));
        }

        files.Clear();
        files.Seal();
        Assert.False(files.TryGet("IM0001", out _));
    }

    [Fact]
    public void Find_MoreFoldersThanCached_ReloadsAndKeepsSeenAndNullSeries()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection);
        IndexDatabase.Execute(connection, "INSERT INTO folders (id, path) VALUES (1, '')");
        IndexDatabase.Execute(connection, "INSERT INTO series (id, series_key, first_seen, last_seen) VALUES (7, 'k', 0, 0)");
        IndexDatabase.Execute(connection, "INSERT INTO files (folder_id, name, size, mtime, state, series_id, run_id) VALUES (1, 'top.dcm', 5, 50, 0, 7, 1), (1, 'bad', 6, 60, 4, NULL, 1)");
        for (var f = 2; f <= 201; f++)
        {
            IndexDatabase.Execute(connection, $"INSERT INTO folders (id, path) VALUES ({f}, 'P/S{f}')");
            IndexDatabase.Execute(connection, $"INSERT INTO files (folder_id, name, size, mtime, state, run_id) VALUES ({f}, 'a.dcm', {f}, 1, 0, 1), ({f}, 'b', {f + 1}, 1, 0, 1)");
        }

        using var known = new KnownFiles(connection);
        for (var pass = 0; pass < 2; pass++)
        {
            for (var f = 2; f <= 201; f++)
            {
                Assert.Equal(f, known.Find($"P/S{f}", "a.dcm")!.Value.Size);
                Assert.Null(known.Find($"P/S{f}", "c.dcm"));
            }

            var top = known.Find("", "top.dcm")!.Value;
            Assert.Equal(7, top.SeriesId);
            var bad = known.Find("", "bad")!.Value;
            Assert.Null(bad.SeriesId);
            Assert.Equal(IndexedFileState.Unreadable, bad.State);
        }

        Assert.Equal(1, known.Find("P/S2", "b")!.Value.Size - 2);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT f.id, f.name, d.path FROM files f JOIN folders d ON d.id = f.folder_id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var seen = known.WasSeen(reader.GetInt64(0));
                var expected = reader.GetString(1) != "b" || reader.GetString(2) is "" or "P/S2";
                Assert.Equal(expected, seen);
            }
        }
    }
}
