using System.Globalization;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Query;
using NasPacs.Indexing.Storage;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

/// <summary>
/// The search over a real index file holding more series than the count limit (written straight into the migrated
/// schema, whose triggers fill the full-text index), checked against the same rows ordered and filtered in C#.
/// </summary>
public sealed class IndexQuerySearchTests : IDisposable
{
    private const int Broad = SearchLimits.CountLimit + 200;

    private readonly TempFolder _folder = new("naspacs-query");
    private readonly string _path;
    private readonly IndexQuery _query;

    public IndexQuerySearchTests()
    {
        _path = _folder.Combine("index.db");
        _query = new IndexQuery(_path);
    }

    public void Dispose()
    {
        _query.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task SearchSeriesAsync_MoreMatchesThanTheLimit_ReportsLimitPlusOne()
    {
        var rows = Seed(Broad);

        var all = await _query.SearchSeriesAsync(new SeriesSearch());
        var text = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth" });
        var ct = await _query.SearchSeriesAsync(new SeriesSearch { Modality = "CT", Text = "synth" });
        var rare = await _query.SearchSeriesAsync(new SeriesSearch { Modality = "NM" });

        Assert.Equal(SearchLimits.CountLimit + 1, all.Total);
        Assert.True(SearchLimits.IsCapped(all.Total));
        Assert.Equal(SearchLimits.CountLimit + 1, text.Total);
        Assert.Equal(rows.Count(r => Matches(r, "synth", "CT", null, null)), ct.Total);
        Assert.Equal(rows.Count(r => r.Modality == "NM"), rare.Total);
        Assert.False(SearchLimits.IsCapped(rare.Total));
        Assert.Equal(50, all.Items.Count);
    }

    [Fact]
    public async Task SearchSeriesAsync_Issue4_CountStopsAtOneThousandAndPagesStillMatch()
    {
        var rows = Seed(Broad);

        var from = new DateOnly(2024, 1, 2);

        var text = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", From = from, Page = new PageRequest(50, 50) });

        var expected = Ordered(rows.Where(r => Matches(r, "synth", null, from, null)), SeriesSort.StudyDate, descending: true).ToList();
        Assert.Equal(1_000, SearchLimits.CountLimit);
        Assert.True(expected.Count > 1_000);
        Assert.Equal(1_001, text.Total);
        Assert.Equal(expected.Skip(50).Take(50).Select(r => r.Key), text.Items.Select(s => s.SeriesKey));
    }

    [Fact]
    public async Task SearchSeriesAsync_RelevanceOverMoreThanTheLimit_RanksOnlyMatches()
    {
        var rows = Seed(Broad);

        var page = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", Sort = SeriesSort.Relevance, Page = new PageRequest(0, 200) });

        Assert.True(SearchLimits.IsCapped(page.Total));
        Assert.Equal(200, page.Items.Count);
        Assert.All(page.Items, s => Assert.StartsWith("SYNTH^", s.PatientName, StringComparison.Ordinal));
        Assert.Equal(200, page.Items.Select(s => s.SeriesKey).Distinct().Count());
        Assert.True(rows.Count(r => r.Name is not null) > SearchLimits.CountLimit);
    }

    [Theory]
    [InlineData(1_001, 10_000, 100_000, 10_010)]   // the capped count reached a tenth of the ids: ten times as many
    [InlineData(1_001, 100_000, 100_000, 1_001)]    // it read every id: that is all there are
    [InlineData(1_001, 10, 100_000, 100_000)]       // never more than there are rows
    [InlineData(1_001, 0, 100_000, 1_001)]
    public void EstimateMatches_CappedCount_ScalesByTheIdsItReached(long counted, long reached, long maxId, long expected)
        => Assert.Equal(expected, IndexQuery.EstimateMatches(counted, reached, maxId));

    [Theory]
    [InlineData(0, 50_000, 100_000, true)]      // half the rows match: the first page is ~100 rows into the index
    [InlineData(0, 2_000, 100_000, false)]      // 2 %: ~2,500 probes cost more than sorting 2,000 matches
    [InlineData(0, 1_000, 1_000, false)]        // not more than the count limit: sorting is cheap
    [InlineData(1_950, 100_000, 100_000, true)] // deep, but within MaxWalkedRows
    [InlineData(2_000, 100_000, 100_000, false)] // deeper than MaxWalkedRows: sort
    public void Walk_MatchesAndRows_WalksOnlyWhenProbingIsCheaper(int offset, long matches, long rows, bool expected)
        => Assert.Equal(expected, IndexQuery.Walk(new PageRequest(offset, 50), matches, rows));

    [Theory]
    [InlineData("NP-004217", new[] { "NP-004217" })]
    [InlineData("np 004217", new[] { "NP-004217", "XP-000001" })]
    [InlineData("NP-00421", new[] { "NP-004217", "NP-004218" })]
    [InlineData("o'brien", new[] { "NP-104217" })]
    [InlineData("O'BRIEN^ANN", new[] { "NP-104217" })]
    [InlineData("brien-ann", new[] { "NP-104217" })]
    [InlineData("ann-brien", new string[0])]
    public async Task SearchSeriesAsync_WordWithPunctuation_MatchesItsTokensAsAPhrase(string text, string[] expected)
    {
        using (var connection = Writer())
        {
            Insert(connection, new Row(1, "DOE^JOHN", "NP-004217", "CT", "20240101", "1"));
            Insert(connection, new Row(2, "DOE^JANE", "NP-004218", "CT", "20240102", "1"));
            Insert(connection, new Row(3, "O'BRIEN^ANN", "NP-104217", "MR", "20240103", "1"));
            Insert(connection, new Row(4, "004217^NP", "XP-000001", "MR", "20240104", "1"));
        }

        var found = await _query.SearchSeriesAsync(new SeriesSearch { Text = text });

        Assert.Equal(expected.Order(StringComparer.Ordinal), found.Items.Select(s => s.PatientId!).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Length, found.Total);
    }

    public static TheoryData<SeriesSort, bool, string?, string?, bool, int> Orders()
    {
        var data = new TheoryData<SeriesSort, bool, string?, string?, bool, int>();
        foreach (var sort in new[] { SeriesSort.StudyDate, SeriesSort.PatientName, SeriesSort.Modality, SeriesSort.FileCount, SeriesSort.LastSeen })
        {
            foreach (var descending in new[] { true, false })
            {
                data.Add(sort, descending, null, null, false, 0);
                data.Add(sort, descending, "synth", null, false, 0);    // broad text: walks the sort's index
                data.Add(sort, descending, "synth", "CT", false, 100);
                data.Add(sort, descending, "p0001", null, false, 0);    // narrow text: sorts the matches
                data.Add(sort, descending, null, "MR", true, 50);
                data.Add(sort, descending, null, "CT", false, 100);    // a modality's own index for every sort (V003)
                data.Add(sort, descending, "synth", null, true, 0);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task SearchSeriesAsync_SortWithFilters_EqualsTheRowsOrderedInMemory(
        SeriesSort sort, bool descending, string? text, string? modality, bool dated, int offset)
    {
        var rows = Seed(Broad);
        var from = dated ? new DateOnly(2024, 3, 1) : (DateOnly?)null;
        var to = dated ? new DateOnly(2024, 6, 30) : (DateOnly?)null;
        var search = new SeriesSearch { Sort = sort, Descending = descending, Text = text, Modality = modality, From = from, To = to, Page = new PageRequest(offset, 50) };

        var page = await _query.SearchSeriesAsync(search);

        var expected = Ordered(rows.Where(r => Matches(r, text, modality, from, to)), sort, descending).ToList();
        Assert.Equal(Math.Min(expected.Count, SearchLimits.CountLimit + 1), page.Total);
        Assert.Equal(expected.Skip(offset).Take(50).Select(r => r.Key), page.Items.Select(s => s.SeriesKey));
    }

    [Theory]
    [InlineData(SeriesSort.StudyDate, true)]
    [InlineData(SeriesSort.PatientName, false)]
    [InlineData(SeriesSort.FileCount, true)]
    [InlineData(SeriesSort.LastSeen, false)]
    [InlineData(SeriesSort.Modality, true)]
    public async Task SearchSeriesAsync_BroadTextAndAModalityFewHave_EqualsTheRowsOrderedInMemory(SeriesSort sort, bool descending)
    {
        var rows = Seed(Broad);
        rows.AddRange(Add(
            new Row(5_001, "SYNTH^US1", "NP-5001", "US", "20240105", "2"),
            new Row(5_002, "DOE^US2", "NP-5002", "US", "20240105", "1"),
            new Row(5_003, "SYNTH^US3", "NP-5003", "US", "20240102", "1")));

        var page = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", Modality = "US", Sort = sort, Descending = descending });
        var none = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", Modality = "XA", Sort = sort, Descending = descending });

        var expected = Ordered(rows.Where(r => Matches(r, "synth", "US", null, null)), sort, descending).ToList();
        Assert.Equal(2, expected.Count);
        Assert.True(rows.Count(r => Matches(r, "synth", null, null, null)) > SearchLimits.CountLimit);
        Assert.Equal(expected.Count, page.Total);
        Assert.Equal(expected.Select(r => r.Key), page.Items.Select(s => s.SeriesKey));
        Assert.Equal(0, none.Total);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task SearchSeriesAsync_BroadTextAndOneDay_FindsThatDaysMatchesBestFirstOrByDate()
    {
        var rows = Seed(Broad);
        var day = new DateOnly(2024, 2, 10);

        var byDate = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", From = day, To = day, Page = new PageRequest(1, 3) });
        var byRelevance = await _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", From = day, To = day, Sort = SeriesSort.Relevance });

        var expected = Ordered(rows.Where(r => Matches(r, "synth", null, day, day)), SeriesSort.StudyDate, descending: true).ToList();
        Assert.InRange(expected.Count, 4, 100);
        Assert.Equal(expected.Count, byDate.Total);
        Assert.Equal(expected.Skip(1).Take(3).Select(r => r.Key), byDate.Items.Select(s => s.SeriesKey));
        Assert.Equal(expected.Count, byRelevance.Total);
        Assert.Equal(expected.Select(r => r.Key).Order(StringComparer.Ordinal), byRelevance.Items.Select(s => s.SeriesKey).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, 0, false, true)]          // nothing passes the filters: nothing to probe
    [InlineData(3, 10_001, false, true)]     // 30 probes against 10,001 matches read
    [InlineData(99, 1_000, false, true)]     // 990 against 1,000
    [InlineData(100, 1_000, false, false)]   // 1,000 against 1,000: reading the text's matches is no dearer
    [InlineData(1_001, 10_001, false, false)] // more than the count limit pass the filters
    [InlineData(49, 10_001, true, true)]     // a merged prefix: each probe costs a fiftieth of reading every match
    [InlineData(50, 10_001, true, false)]
    public void FilterLeads_SeriesPassingTheFiltersAndTextMatches_LeadsOnlyWhenProbingCostsLess(long filtered, long textMatches, bool mergedPrefix, bool expected)
        => Assert.Equal(expected, IndexQuery.FilterLeads(filtered, textMatches, mergedPrefix));

    [Theory]
    [InlineData("\"synth\"*", true)]
    [InlineData("\"np 004217\"*", true)]
    [InlineData("\"doe\"*", false)]
    [InlineData("\"synthetic doe\"*", false)]
    [InlineData("(\"synth\" OR \"synthetic\") AND \"np\"*", false)]
    [InlineData("(\"synth\" OR \"synthetic\") AND \"np 00421\"*", true)]
    [InlineData("\"synth\"", false)]
    public void HasMergedPrefix_Match_TrueWhenAPrefixIsLongerThanThePrefixIndexes(string match, bool expected)
        => Assert.Equal(expected, SearchText.HasMergedPrefix(match));

    [Theory]
    [InlineData(SeriesSort.PatientName, "CT", null, "series_by_modality_only (modality=?)")]
    [InlineData(SeriesSort.StudyDate, "CT", "2040-01-01", "series_by_modality_study_order (modality=? AND study_date>?)")]
    [InlineData(SeriesSort.PatientName, null, "2040-01-01", "series_by_study_order (study_date>?)")]
    public void PageSql_FilterLeads_ReadsTheFiltersIndexAndProbesTheText(SeriesSort sort, string? modality, string? from, string index)
    {
        Seed(3);
        var search = new SeriesSearch { Text = "synth", Modality = modality, From = from is null ? null : DateOnly.Parse(from, CultureInfo.InvariantCulture), Sort = sort };
        var where = " WHERE series_fts MATCH $match" + (modality is null ? "" : " AND s.modality = $modality") + (from is null ? "" : " AND s.study_date >= $from");

        var plan = Plan(IndexQuery.PageSql(search, new PageRequest(0, 50), text: true, where, total: 2, walk: false, filterLeads: true), from, null);

        Assert.StartsWith($"SEARCH s USING INDEX {index} | SCAN series_fts VIRTUAL TABLE", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void PageSql_FilterLeadsByRelevance_StillReadsTheText()
    {
        Seed(3);
        var search = new SeriesSearch { Text = "synth", Modality = "CT", Sort = SeriesSort.Relevance };

        var plan = Plan(IndexQuery.PageSql(search, new PageRequest(0, 50), text: true, " WHERE series_fts MATCH $match AND s.modality = $modality", total: 2, walk: false, filterLeads: true), null, null);

        Assert.StartsWith("SCAN series_fts VIRTUAL TABLE", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SeriesSort.PatientName, "CT", "2040-01-01", "series_by_modality_study_order (modality=? AND study_date>?)")]
    [InlineData(SeriesSort.FileCount, null, "2040-01-01", "series_by_study_order (study_date>?)")]
    [InlineData(SeriesSort.LastSeen, "CT", null, "series_by_modality_only (modality=?)")]
    public void PageSql_NoTextFewPassTheFilters_ReadsTheFiltersIndexAndSorts(SeriesSort sort, string? modality, string? from, string index)
    {
        Seed(3);
        var search = new SeriesSearch { Modality = modality, From = from is null ? null : DateOnly.Parse(from, CultureInfo.InvariantCulture), Sort = sort };
        var where = " WHERE " + string.Join(" AND ", new[] { modality is null ? null : "s.modality = $modality", from is null ? null : "s.study_date >= $from" }.OfType<string>());

        var plan = Plan(IndexQuery.PageSql(search, new PageRequest(0, 50), text: false, where, total: 12, walk: false), from, null);

        Assert.StartsWith($"SEARCH s USING INDEX {index}", plan, StringComparison.Ordinal);
        Assert.Contains("USE TEMP B-TREE FOR ORDER BY", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SeriesSort.StudyDate, null, null)]
    [InlineData(SeriesSort.StudyDate, "2024-01-01", "2024-03-31")]
    [InlineData(SeriesSort.PatientName, null, null)]
    [InlineData(SeriesSort.Modality, null, null)]
    [InlineData(SeriesSort.FileCount, null, null)]
    [InlineData(SeriesSort.LastSeen, null, null)]
    public void PageSql_ModalityFilter_WalksAnIndexInsteadOfSorting(SeriesSort sort, string? from, string? to)
    {
        Seed(3);
        var where = " WHERE s.modality = $modality" + (from is null ? "" : " AND s.study_date >= $from AND s.study_date <= $to");
        var search = new SeriesSearch
        {
            Sort = sort,
            Modality = "CT",
            From = from is null ? null : DateOnly.Parse(from, CultureInfo.InvariantCulture),
            To = to is null ? null : DateOnly.Parse(to, CultureInfo.InvariantCulture),
        };

        var plan = Plan(IndexQuery.PageSql(search, new PageRequest(450, 50), text: false, where, total: 1_001, walk: false), from, to);

        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        Assert.Contains("series_by_modality_", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchSeriesAsync_Relevance_ReturnsOnlyMatchesBestFirst()
    {
        using (var connection = Writer())
        {
            Insert(connection, new Row(1, "FLAIR^ONE", "NP-1", "MR", "20240101", "1", "FLAIR FLAIR FLAIR"));
            Insert(connection, new Row(2, "DOE^TWO", "NP-2", "MR", "20240101", "1", "T1 SAG"));
            Insert(connection, new Row(3, "DOE^THREE", "NP-3", "MR", "20240101", "1", "T2 FLAIR AXIAL WITH MANY MORE WORDS"));
        }

        var page = await _query.SearchSeriesAsync(new SeriesSearch { Text = "flair", Sort = SeriesSort.Relevance });

        Assert.Equal(["NP-1", "NP-3"], page.Items.Select(s => s.PatientId));
    }

    [Fact]
    public async Task SearchSeriesAsync_PooledConnection_SeesCommitsMadeAfterItOpened()
    {
        using (var connection = Writer())
        {
            Insert(connection, new Row(1, "DOE^JOHN", "NP-1", "CT", "20240101", "1"));
        }

        Assert.Equal(1, (await _query.SearchSeriesAsync(new SeriesSearch { Text = "doe" })).Total);
        using (var connection = Writer())
        {
            Insert(connection, new Row(2, "DOE^JANE", "NP-2", "CT", "20240102", "1"));
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE series SET patient_name = 'ROE^JOHN' WHERE series_key = 'k1'";
            update.ExecuteNonQuery();
        }

        var after = await _query.SearchSeriesAsync(new SeriesSearch { Text = "doe" });

        Assert.Equal("k2", Assert.Single(after.Items).SeriesKey);
        Assert.Equal("ROE^JOHN", (await _query.GetSeriesAsync("k1"))!.PatientName);
        Assert.Equal(1, _query.Pool.Opened);
    }

    [Fact]
    public async Task SearchSeriesAsync_ConcurrentSearches_EachGetsItsOwnConnection()
    {
        Seed(500);

        var totals = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => _query.SearchSeriesAsync(new SeriesSearch { Text = "synth", Modality = i % 2 == 0 ? "CT" : null }))));

        Assert.All(totals, t => Assert.Equal(50, t.Items.Count));
        Assert.InRange(_query.Pool.Opened, 1, 16);
        await Assert.ThrowsAsync<SqliteException>(async () =>
        {
            using var lease = _query.Pool.Rent();
            using var write = lease.Connection.CreateCommand();
            write.CommandText = "DELETE FROM series";
            await write.ExecuteNonQueryAsync();
        });
    }

    [Fact]
    public async Task Dispose_ThenSearch_ThrowsObjectDisposed()
    {
        Seed(3);
        await _query.SearchSeriesAsync(new SeriesSearch());

        _query.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _query.SearchSeriesAsync(new SeriesSearch()));
    }

    [Fact]
    public async Task SearchSeriesAsync_IndexWrittenBySchemaVersion1_FindsItsSeriesAfterMigration()
    {
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString()))
        {
            connection.Open();
            using var stream = typeof(IndexQuery).Assembly.GetManifestResourceStream("NasPacs.Indexing.Schema.V001__initial.sql")!;
            using var reader = new StreamReader(stream);
            using var command = connection.CreateCommand();
            command.CommandText = reader.ReadToEnd() + "PRAGMA user_version = 1;";
            command.ExecuteNonQuery();
            Insert(connection, new Row(1, "DOE^JOHN", "NP-004217", "CT", "20240101", "1"));
        }

        var found = await _query.SearchSeriesAsync(new SeriesSearch { Text = "np-004217" });
        var prefix = await _query.SearchSeriesAsync(new SeriesSearch { Text = "j" });

        Assert.Equal("k1", Assert.Single(found.Items).SeriesKey);
        Assert.Equal("k1", Assert.Single(prefix.Items).SeriesKey);
        Assert.Equal(SchemaMigrator.LatestVersion, SqliteProbe.Scalar(_path, "PRAGMA user_version"));
    }

    [Theory]
    [InlineData("doe", "\"doe\"*")]
    [InlineData("DOE^JOHN", "\"doe john\"*")]
    [InlineData("NP-004217", "\"np 004217\"*")]
    [InlineData("o'brien AND \"x", "\"o brien\"* AND \"and\"* AND \"x\"*")]
    [InlineData("Müller", "\"müller\"*")]
    [InlineData(" ^^ ", null)]
    [InlineData("", null)]
    public void Build_UserText_BecomesQuotedPhrasesWithAPrefix(string text, string? expected)
        => Assert.Equal(expected, SearchText.Build(text));

    [Fact]
    public void Build_LongPrefixWithFewTerms_ListsTheTerms()
    {
        var asked = new List<string>();
        IReadOnlyList<string> Expand(string prefix)
        {
            asked.Add(prefix);
            return prefix == "synth" ? ["synth", "synthetic"] : [.. Enumerable.Range(0, SearchText.MaxExpandedTerms + 1).Select(i => $"{prefix}{i}")];
        }

        Assert.Equal("(\"synth\" OR \"synthetic\") AND \"np 00421\"*", SearchText.Build("synth NP-00421", Expand));
        Assert.Equal("\"abc\"* AND \"ab\"*", SearchText.Build("abc ab", Expand));
        Assert.Equal(["synth", "00421"], asked);
    }

    private sealed record Row(long Id, string? Name, string PatientId, string Modality, string StudyDate, string SeriesNumber, string Description = "AXIAL")
    {
        public string Key => "k" + Id.ToString(CultureInfo.InvariantCulture);

        public string StudyTime => (Id % 3 == 0 ? "093000" : "101500");

        public long FileCount => Id % 7;

        public long LastSeen => 1_700_000_000_000 + (Id % 11);
    }

    /// <summary>SQLite's query plan for <paramref name="sql"/>, its steps joined by " | ".</summary>
    private string Plan(string sql, string? from, string? to)
    {
        using var connection = Writer();
        using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        explain.Parameters.AddWithValue("$modality", "CT");
        explain.Parameters.AddWithValue("$from", (object?)from?.Replace("-", "", StringComparison.Ordinal) ?? DBNull.Value);
        explain.Parameters.AddWithValue("$to", (object?)to?.Replace("-", "", StringComparison.Ordinal) ?? DBNull.Value);
        explain.Parameters.AddWithValue("$limit", 50);
        explain.Parameters.AddWithValue("$offset", 450);
        var details = new List<string>();
        using var reader = explain.ExecuteReader();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return string.Join(" | ", details);
    }

    private SqliteConnection Writer()
    {
        // The writer's path: creates and migrates the file, WAL, like the indexer.
        return new IndexDatabase(_path).Open();
    }

    /// <summary>Many ties in every sort column, so that the row id decides; a few names are NULL.</summary>
    private List<Row> Seed(int count)
    {
        var rows = Enumerable.Range(1, count).Select(i => new Row(
            i,
            i % 97 == 0 ? null : $"SYNTH^P{i % 1500:000000}",
            $"NP-{i:000000}",
            i % 10 == 0 ? "NM" : i % 2 == 0 ? "CT" : "MR",
            new DateOnly(2024, 1, 1).AddDays(i % 200).ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            (i % 12).ToString(CultureInfo.InvariantCulture))).ToList();
        using var connection = Writer();
        using var transaction = connection.BeginTransaction();
        foreach (var row in rows)
        {
            Insert(connection, row, transaction);
        }

        transaction.Commit();
        return rows;
    }

    private Row[] Add(params Row[] rows)
    {
        using var connection = Writer();
        foreach (var row in rows)
        {
            Insert(connection, row);
        }

        return rows;
    }

    private static void Insert(SqliteConnection connection, Row row, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO series (id, series_key, patient_name, patient_id, modality, study_date, study_time, series_number, series_description, file_count, total_bytes, first_seen, last_seen) " +
            "VALUES ($id, $key, $name, $pid, $modality, $date, $time, $number, $description, $files, 0, $seen, $seen)";
        command.Parameters.AddWithValue("$id", row.Id);
        command.Parameters.AddWithValue("$key", row.Key);
        command.Parameters.AddWithValue("$name", (object?)row.Name ?? DBNull.Value);
        command.Parameters.AddWithValue("$pid", row.PatientId);
        command.Parameters.AddWithValue("$modality", row.Modality);
        command.Parameters.AddWithValue("$date", row.StudyDate);
        command.Parameters.AddWithValue("$time", row.StudyTime);
        command.Parameters.AddWithValue("$number", row.SeriesNumber);
        command.Parameters.AddWithValue("$description", row.Description);
        command.Parameters.AddWithValue("$files", row.FileCount);
        command.Parameters.AddWithValue("$seen", row.LastSeen);
        command.ExecuteNonQuery();
        SeriesTextRows.Add(connection, row.Id, row.Id, transaction);
    }

    private static bool Matches(Row row, string? text, string? modality, DateOnly? from, DateOnly? to)
    {
        var words = (row.Name ?? "").Split('^').Concat(row.PatientId.Split('-')).Concat(row.Description.Split(' '));
        return (text is null || words.Any(w => w.StartsWith(text, StringComparison.OrdinalIgnoreCase)))
            && (modality is null || row.Modality == modality)
            && (from is null || string.CompareOrdinal(row.StudyDate, from.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) >= 0)
            && (to is null || string.CompareOrdinal(row.StudyDate, to.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) <= 0);
    }

    /// <summary>SQLite's order: NULL first, text by bytes (ordinal for these ASCII values), then the row id.</summary>
    private static IEnumerable<Row> Ordered(IEnumerable<Row> rows, SeriesSort sort, bool descending)
    {
        var text = Comparer<string?>.Create(string.CompareOrdinal);
        IOrderedEnumerable<Row> ordered = sort switch
        {
            SeriesSort.PatientName => rows.OrderBy(r => r.Name, text),
            SeriesSort.Modality => rows.OrderBy(r => r.Modality, text),
            SeriesSort.FileCount => rows.OrderBy(r => r.FileCount),
            SeriesSort.LastSeen => rows.OrderBy(r => r.LastSeen),
            _ => rows.OrderBy(r => r.StudyDate, text).ThenBy(r => r.StudyTime, text).ThenBy(r => int.Parse(r.SeriesNumber, CultureInfo.InvariantCulture)),
        };
        var result = ordered.ThenBy(r => r.Id);
        return descending ? result.Reverse() : result;
    }
}
