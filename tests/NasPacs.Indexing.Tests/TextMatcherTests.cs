using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Query;
using NasPacs.Indexing.Storage;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

/// <summary>
/// <see cref="TextMatcher"/> against the full-text index it stands in for: the same rows in a real index file, the same
/// queries, the same answers wherever the matcher gives one.
/// </summary>
public sealed class TextMatcherTests : IDisposable
{
    private static readonly string?[][] Texts =
    [
        ["DOE^JOHN", "NP-004217", "ACC1", "CT CHEST W/O CONTRAST", "AXIAL 5MM"],
        ["DOE^JANE", "NP-004218", null, "MR BRAIN", "T2 FLAIR"],
        ["O'BRIEN^ANN", "NP-104217", "", "MR BRAIN", "SAG T1"],
        ["004217^NP", "XP-000001", "ACC2", null, "CORONAL MPR 4"],
        ["NP", "004217", "A", "B", "C"],                          // a phrase across two columns must not match
        ["SYNTH^P004220", "NP-004220", "ACC422101", "CT CHEST", "CORONAL MPR 4"],
        ["MÜLLER^HANS", "NP-7", "ACC3", "CT", "AXIAL"],            // folded by the index: the code must not decide
        ["SMITH\u0001NP", "004217", "X", "Y", "Z"],                // a separator inside a column: the code must not decide
        ["T1^T2", "t1-t2", "x", "y", "flair_t2"],
        [null, null, null, null, null],
    ];

    private static readonly string[] Queries =
    [
        "doe", "DOE^JOHN", "np-004217", "np 004217", "NP-00421", "o'brien", "brien-ann", "ann-brien", "np", "004217",
        "chest axial", "brain flair", "t1", "t2 flair", "coronal mpr", "mpr 4", "p0042", "acc", "synth", "w/o", "w o contrast",
        "hans", "muller", "smith", "z", "flair_t2", "t1 t2", "a", "5mm", "5",
    ];

    private readonly TempFolder _folder = new("naspacs-matcher");
    private readonly string _path;

    public TextMatcherTests() => _path = _folder.Combine("index.db");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Match_EveryQueryAndRow_AgreesWithTheFullTextIndex()
    {
        using var connection = new IndexDatabase(_path).Open();
        for (var i = 0; i < Texts.Length; i++)
        {
            Insert(connection, i + 1, Texts[i]);
        }

        var undecided = new HashSet<long>();
        foreach (var query in Queries)
        {
            var matcher = TextMatcher.Create(SearchText.Words(query));
            Assert.NotNull(matcher);
            var indexed = Ids(connection, "SELECT rowid FROM series_fts WHERE series_fts MATCH $match", SearchText.Build(query)!);
            using var rows = connection.CreateCommand();
            rows.CommandText = $"SELECT s.id, {TextMatcher.ColumnsSql} FROM series s ORDER BY s.id";
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetInt64(0);
                switch (matcher.Match(reader.GetString(1)))
                {
                    case TextMatcher.Verdict.Unknown:
                        undecided.Add(id);
                        break;
                    case var verdict:
                        Assert.True(indexed.Contains(id) == (verdict == TextMatcher.Verdict.Match), $"'{query}' on row {id}: code says {verdict}");
                        break;
                }
            }
        }

        Assert.Equal([7L, 8L], undecided.Order());
    }

    [Theory]
    [InlineData("DOE^JOHN\u0001NP-004217\u0001\u0001\u0001", "np-00421", "Match")]
    [InlineData("DOE^JOHN\u0001NP-004217\u0001\u0001\u0001", "john np", "Match")]
    [InlineData("DOE^JOHN\u0001NP-004217\u0001\u0001\u0001", "john-np", "NoMatch")]
    [InlineData("DOE^JOHN\u0001NP-004217\u0001\u0001\u0001", "doex", "NoMatch")]
    [InlineData("DOE\u0001\u0001\u0001", "doe", "Unknown")]            // three separators: not the five columns
    [InlineData("DOE\tX\u0001\u0001\u0001\u0001", "doe", "Unknown")]   // a control character
    [InlineData("JOSÉ\u0001\u0001\u0001\u0001", "jos", "Unknown")]
    public void Match_Text_GivesTheVerdict(string text, string query, string expected)
        => Assert.Equal(expected, TextMatcher.Create(SearchText.Words(query))!.Match(text).ToString());

    [Theory]
    [InlineData("müller")]
    [InlineData("doe é")]
    [InlineData("^^")]
    public void Create_NonAsciiOrEmptyWords_LeavesTheSearchToTheIndex(string query)
        => Assert.Null(TextMatcher.Create(SearchText.Words(query)));

    [Theory]
    [InlineData(SeriesSort.StudyDate, true, 0)]
    [InlineData(SeriesSort.StudyDate, false, 100)]
    [InlineData(SeriesSort.PatientName, false, 0)]
    [InlineData(SeriesSort.FileCount, true, 150)]
    public async Task SearchSeriesAsync_WalkTestedInCode_EqualsTheFullTextIndexSorted(SeriesSort sort, bool descending, int offset)
    {
        const int Count = SearchLimits.CountLimit + 300;
        using (var connection = new IndexDatabase(_path).Open())
        using (var transaction = connection.BeginTransaction())
        {
            for (var i = 1; i <= Count; i++)
            {
                // Folded accents and a separator inside a column leave the row to the index; DOE does not match.
                var name = i % 50 == 0 ? $"SYNTHÉ^P{i}" : i % 70 == 0 ? $"SMITH\u0001SYNTH{i}" : i % 30 == 0 ? $"DOE^P{i}" : $"SYNTH^P{i % 400}";
                Insert(connection, i, [name, $"NP-{i}", null, "CT CHEST", "AXIAL"], transaction, date: $"2024{1 + (i % 12):00}{1 + (i % 28):00}", files: i % 9);
            }

            transaction.Commit();
        }

        var page = new PageRequest(offset, 50);
        var search = new SeriesSearch { Text = "synth", Sort = sort, Descending = descending, Page = page };
        using var query = new IndexQuery(_path);

        var found = await query.SearchSeriesAsync(search);

        Assert.True(IndexQuery.Walk(page, Count - (Count / 30), Count, IndexQuery.TestCostRatio));
        using var lease = query.Pool.Rent();
        using var sorted = lease.Connection.CreateCommand();
        sorted.CommandText = IndexQuery.PageSql(search, page, text: true, " WHERE series_fts MATCH $match", total: Count, walk: false);
        sorted.Parameters.AddWithValue("$match", SearchText.Build("synth"));
        sorted.Parameters.AddWithValue("$limit", page.Limit);
        sorted.Parameters.AddWithValue("$offset", page.Offset);
        var expected = new List<string>();
        using (var reader = sorted.ExecuteReader())
        {
            while (reader.Read())
            {
                expected.Add(reader.GetString(0));
            }
        }

        Assert.Equal(50, expected.Count);
        Assert.Equal(expected, found.Items.Select(s => s.SeriesKey));
        Assert.Equal(SearchLimits.CountLimit + 1, found.Total);
    }

    private static HashSet<long> Ids(SqliteConnection connection, string sql, string match)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$match", match);
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static void Insert(SqliteConnection connection, long id, string?[] text, SqliteTransaction? transaction = null, string? date = null, int files = 0)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO series (id, series_key, patient_name, patient_id, accession_number, study_description, series_description, study_date, file_count, first_seen, last_seen) " +
            "VALUES ($id, $key, $name, $pid, $accession, $study, $series, $date, $files, 0, 0)";
        command.Parameters.AddWithValue("$date", (object?)date ?? DBNull.Value);
        command.Parameters.AddWithValue("$files", files);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$key", "k" + id);
        command.Parameters.AddWithValue("$name", (object?)text[0] ?? DBNull.Value);
        command.Parameters.AddWithValue("$pid", (object?)text[1] ?? DBNull.Value);
        command.Parameters.AddWithValue("$accession", (object?)text[2] ?? DBNull.Value);
        command.Parameters.AddWithValue("$study", (object?)text[3] ?? DBNull.Value);
        command.Parameters.AddWithValue("$series", (object?)text[4] ?? DBNull.Value);
        command.ExecuteNonQuery();
        SeriesTextRows.Add(connection, id, id, transaction);
    }
}
