using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Tests;

public class SchemaMigratorTests
{
    [Fact]
    public void Migrate_EmptyDatabase_AppliesEveryScriptAndRecordsTheVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();

        var applied = SchemaMigrator.Migrate(connection);

        Assert.Equal(SchemaMigrator.Scripts.Select(s => s.Version), applied);
        Assert.Equal(SchemaMigrator.LatestVersion, SchemaMigrator.GetVersion(connection));
        foreach (var table in new[] { "files", "folders", "series", "errors", "runs", "meta", "series_fts" })
        {
            Assert.Equal(1L, IndexDatabase.Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{table}'"));
        }
    }

    [Fact]
    public void Migrate_Twice_AppliesNothingTheSecondTime()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection);

        Assert.Empty(SchemaMigrator.Migrate(connection));
    }

    [Fact]
    public void Migrate_NewerDatabase_Refuses()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        IndexDatabase.Execute(connection, $"PRAGMA user_version = {SchemaMigrator.LatestVersion + 1}");

        var ex = Assert.Throws<NasPacs.Abstractions.Indexing.IndexingException>(() => SchemaMigrator.Migrate(connection));

        Assert.Equal(NasPacs.Abstractions.Errors.ErrorCodes.IndexNewerSchema, ex.Code);
        Assert.Contains("newer than this NasPacs knows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeriesFts_TextAddedThenUpdatedAndDeleted_StaysInStepWithSeries()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection);
        IndexDatabase.Execute(connection, "INSERT INTO series (series_key, patient_name, first_seen, last_seen) VALUES ('k', 'DOE^JOHN', 0, 0)");
        Assert.Equal(0L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'john'"));

        // Since V004 the writer adds the text of new series (one statement per transaction); triggers do the rest.
        SeriesTextRows.Add(connection, first: 1, last: 1);
        Assert.Equal(1L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'john'"));

        IndexDatabase.Execute(connection, "UPDATE series SET patient_name = 'ROE^JANE' WHERE series_key = 'k'");
        Assert.Equal(0L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'john'"));
        Assert.Equal(1L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'jane'"));

        IndexDatabase.Execute(connection, "DELETE FROM series");
        Assert.Equal(0L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'jane'"));
    }

    [Fact]
    public void Migrate_Version3WithSeries_KeepsTheirTextAndStopsAddingTextOnInsert()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SchemaMigrator.Migrate(connection, upTo: 3);
        IndexDatabase.Execute(connection, "INSERT INTO series (series_key, patient_name, first_seen, last_seen) VALUES ('old', 'DOE^JOHN', 0, 0)");

        SchemaMigrator.Migrate(connection);
        IndexDatabase.Execute(connection, "INSERT INTO series (series_key, patient_name, first_seen, last_seen) VALUES ('new', 'ROE^JANE', 0, 0)");

        Assert.Equal(1L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'john'"));
        Assert.Equal(0L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'jane'"));
        SeriesTextRows.Add(connection, first: 2, last: 2);
        Assert.Equal(1L, IndexDatabase.Scalar(connection, "SELECT COUNT(*) FROM series_fts WHERE series_fts MATCH 'jane'"));
        IndexDatabase.Execute(connection, "INSERT INTO series_fts (series_fts, rank) VALUES ('integrity-check', 1)");
    }
}
