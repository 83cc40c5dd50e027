using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Query;

internal sealed partial class IndexQuery
{
    /// <summary>
    /// With more matches than <see cref="SearchLimits.CountLimit"/>, relevance ranks only this many of them: the most
    /// recently indexed (bm25 costs about 6 µs a row).
    /// </summary>
    internal const int RelevanceWindow = 1_000;

    /// <summary>A broad text match is paged by walking the sort's index only this deep; deeper pages sort every match.</summary>
    internal const int MaxWalkedRows = 2_000;

    /// <summary>
    /// What a walked row (an index step plus a full-text probe) costs against a match read and sorted, measured on
    /// 100,000 series: about 10 µs against 1 µs.
    /// </summary>
    internal const int ProbeCostRatio = 10;

    /// <summary>
    /// What a walked row tested in code (<see cref="TextMatcher"/>: a table read and a few string compares) costs against
    /// a match read and sorted.
    /// </summary>
    internal const int TestCostRatio = 2;

    /// <summary>With a filter, the text's own matches are counted up to this many to choose the page's plan.</summary>
    internal const int TextSampleLimit = 10_000;

    /// <summary>
    /// A probe for a prefix FTS5 merges (<see cref="SearchText.HasMergedPrefix"/>) reads all its terms' rows, about a
    /// fiftieth of the cost of reading the text's matches (2 ms against 100,000 matches), so filters lead such a text only
    /// when fewer series than this pass them.
    /// </summary>
    internal const int PrefixProbedRows = 50;

    /// <summary>
    /// Counts at most <see cref="SearchLimits.CountLimit"/> + 1 matches (a larger result reports that many) and reads one
    /// page, all from one snapshot. A page of a broad text match walks the sort's index and probes the full-text index
    /// row by row, stopping after the page, instead of sorting every match (see <see cref="Walk"/>).
    /// </summary>
    public Task<Page<SeriesSummary>> SearchSeriesAsync(SeriesSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var page = Checked(search.Page);
        using var lease = _pool.Rent();
        var connection = lease.Connection;

        // The terms, the count and the page read one snapshot: a commit in between cannot make them disagree. Each
        // statement is the connection's prepared one for its SQL, given the search's parameters.
        using var snapshot = connection.BeginTransaction(deferred: true);
        var parameters = new List<(string Name, object Value)>(6);
        SqliteCommand Statement(string sql)
        {
            var command = lease.Command(sql, snapshot);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            return command;
        }

        var match = SearchText.Build(search.Text, prefix => Terms(lease, snapshot, prefix));
        var matcher = match is null ? null : TextMatcher.Create(SearchText.Words(search.Text));
        var probeCost = matcher is null ? ProbeCostRatio : TestCostRatio;
        var filter = new StringBuilder();
        if (match is not null)
        {
            parameters.Add(("$match", match));
        }

        if (!string.IsNullOrWhiteSpace(search.Modality))
        {
            filter.Append(" AND s.modality = $modality");
            parameters.Add(("$modality", search.Modality.Trim().ToUpperInvariant()));
        }

        if (search.From is { } fromDate)
        {
            filter.Append(" AND s.study_date >= $from");
            parameters.Add(("$from", fromDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        }

        if (search.To is { } toDate)
        {
            filter.Append(" AND s.study_date <= $to");
            parameters.Add(("$to", toDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        }

        // The filters without the text (a walk tested in code applies them alone), then with it.
        var conditions = filter.Length == 0 ? "" : " WHERE" + filter.ToString(4, filter.Length - 4);
        if (match is not null)
        {
            filter.Insert(0, " AND series_fts MATCH $match");
        }

        var where = filter.Length == 0 ? "" : " WHERE" + filter.ToString(4, filter.Length - 4);
        var onlyText = match is not null && search.Modality is null && search.From is null && search.To is null;
        var byFilter = $"series s INDEXED BY {FilterIndex(search)}";
        var filterLeads = match is not null && !onlyText && FilterLeads(match, byFilter + conditions, Statement);
        var matches = onlyText ? "series_fts WHERE series_fts MATCH $match"
            : match is null ? "series s" + where
            : filterLeads ? $"{byFilter} CROSS JOIN series_fts ON series_fts.rowid = s.id{where}"
            : "series_fts CROSS JOIN series s ON s.id = series_fts.rowid" + where;
        // The count also says how far into the row ids (full-text matches come in row id order) the capped count got,
        // which estimates how many match in all: the page's plan depends on it, and counting them would cost more.
        var id = match is null || filterLeads ? "s.id" : "series_fts.rowid";
        long total, estimate, rows;
        using (var reader = Statement($"SELECT COUNT(*), MAX(id), (SELECT MAX(id) FROM series) FROM (SELECT {id} AS id FROM {matches} LIMIT {SearchLimits.CountLimit + 1})").ExecuteReader())
        {
            reader.Read();
            total = reader.GetInt64(0);
            rows = reader.IsDBNull(2) ? 0 : reader.GetInt64(2);
            estimate = SearchLimits.IsCapped(total) && !reader.IsDBNull(1) ? EstimateMatches(total, reader.GetInt64(1), rows) : total;
        }

        // The text matches at least as often as text and filter together: if those already make walking cheaper, so would it.
        if (match is not null && !onlyText && SearchLimits.IsCapped(total) && !Walk(page, estimate, rows, probeCost))
        {
            // With a filter, a walk probes the rows of the filter's index range, and sorting reads every text match: how
            // often the text alone matches decides (t1 from 2033: 3,000 match, but sorting read all 30,000 t1 series, 27 ms).
            // Reading the text's own row ids is cheap (~0.06 µs each, no table lookup).
            using var reader = Statement($"SELECT COUNT(*), MAX(id) FROM (SELECT rowid AS id FROM series_fts WHERE series_fts MATCH $match LIMIT {TextSampleLimit + 1})").ExecuteReader();
            reader.Read();
            var text = reader.GetInt64(0);
            estimate = text > TextSampleLimit && !reader.IsDBNull(1) ? EstimateMatches(text, reader.GetInt64(1), rows) : text;
        }

        if (!SearchLimits.IsCapped(total) && page.Offset >= total)
        {
            // Nothing to read: the page's statement would read what the count just read (or, led by the page's order,
            // every series a filter rejects: 25 ms for a modality and a date range that no series has together).
            return Task.FromResult(new Page<SeriesSummary>([], total, page.Offset, page.Limit));
        }

        var walk = Walk(page, estimate, rows, probeCost);
        var items = new List<SeriesSummary>(Math.Min(page.Limit, (int)Math.Min(total, int.MaxValue)));
        if (walk && matcher is not null && search.Sort != SeriesSort.Relevance && WalkIndex(search) is { } index)
        {
            var walked = Statement($"SELECT {SeriesColumns}, {TextMatcher.ColumnsSql}, s.id FROM series s INDEXED BY {index}{conditions} ORDER BY {Order(search.Sort, search.Descending ? "DESC" : "ASC")}");
            WalkTested(walked, matcher, () => Statement("SELECT 1 FROM series_fts WHERE series_fts MATCH $match AND rowid = $id"), page, items, cancellationToken);
            return Task.FromResult(new Page<SeriesSummary>(items, total, page.Offset, page.Limit));
        }

        parameters.Add(("$limit", page.Limit));
        parameters.Add(("$offset", page.Offset));
        using (var reader = Statement(PageSql(search, page, match is not null, where, total, walk, filterLeads)).ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                items.Add(ReadSeries(reader));
            }
        }

        return Task.FromResult(new Page<SeriesSummary>(items, total, page.Offset, page.Limit));
    }

    /// <summary>
    /// Reads <paramref name="walk"/> (the sort's index, the filters without the text) and tests each row's text in code,
    /// asking the full-text index (<paramref name="probe"/>) only for a row the code cannot decide; stops after the page.
    /// </summary>
    private static void WalkTested(
        SqliteCommand walk, TextMatcher matcher, Func<SqliteCommand> probe, PageRequest page, List<SeriesSummary> items, CancellationToken cancellationToken)
    {
        SqliteCommand? oneRow = null;
        var skip = page.Offset;
        using var reader = walk.ExecuteReader();
        while (items.Count < page.Limit && reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var verdict = matcher.Match(reader.GetString(SeriesColumnCount));
            if (verdict == TextMatcher.Verdict.Unknown)
            {
                if (oneRow is null)
                {
                    oneRow = probe();
                    oneRow.Parameters.AddWithValue("$id", 0L);
                }

                oneRow.Parameters["$id"].Value = reader.GetInt64(SeriesColumnCount + 1);
                verdict = oneRow.ExecuteScalar() is null ? TextMatcher.Verdict.NoMatch : TextMatcher.Verdict.Match;
            }

            if (verdict == TextMatcher.Verdict.Match && skip-- <= 0)
            {
                items.Add(ReadSeries(reader));
            }
        }
    }

    /// <summary>
    /// Whether the filters lead a text search: their series are read through their index and each is probed for the text,
    /// instead of every match of the text being read and tested against them. Led by the text, a search whose filters
    /// few series pass reads all of the text's matches to find them (<c>q=synth&amp;modality=MR</c> on an archive of CT:
    /// 100,000 matches read twice to find none, 44 ms). Counting the filters' own series (up to
    /// <see cref="SearchLimits.CountLimit"/> + 1, through their index) costs ~0.04 ms; only when they are that few is the
    /// text's sample counted too.
    /// </summary>
    private static bool FilterLeads(string match, string filteredSeries, Func<string, SqliteCommand> statement)
    {
        var passing = (long)statement($"SELECT COUNT(*) FROM (SELECT 1 FROM {filteredSeries} LIMIT {SearchLimits.CountLimit + 1})").ExecuteScalar()!;
        if (passing == 0 || SearchLimits.IsCapped(passing))
        {
            return passing == 0;
        }

        if (SearchText.HasMergedPrefix(match))
        {
            // Its probe costs in proportion to its matches, as reading them does: their number does not decide.
            return FilterLeads(passing, textMatches: 0, mergedPrefix: true);
        }

        // The same statement as the page's plan's sample, prepared once per connection.
        using var reader = statement($"SELECT COUNT(*), MAX(id) FROM (SELECT rowid AS id FROM series_fts WHERE series_fts MATCH $match LIMIT {TextSampleLimit + 1})").ExecuteReader();
        reader.Read();
        return FilterLeads(passing, reader.GetInt64(0), mergedPrefix: false);
    }

    /// <summary>
    /// The index that reads the series passing a search's filters (a modality, a date range, or both). Named: SQLite would
    /// rather walk the index of the page's order and test every series against the filters (100,000 for none).
    /// </summary>
    private static string FilterIndex(SeriesSearch search)
        => string.IsNullOrWhiteSpace(search.Modality) ? "series_by_study_order"
            : search.From is null && search.To is null ? "series_by_modality_only"
            : "series_by_modality_study_order";

    /// <summary>
    /// Whether probing each of <paramref name="filtered"/> series for the text costs less than reading the text's
    /// <paramref name="textMatches"/> (at most <see cref="TextSampleLimit"/> + 1; a larger text costs more): a probe costs
    /// <see cref="ProbeCostRatio"/> matches read, or a fiftieth of all of them for a merged prefix.
    /// </summary>
    internal static bool FilterLeads(long filtered, long textMatches, bool mergedPrefix)
        => filtered == 0 || (filtered <= SearchLimits.CountLimit && (mergedPrefix ? filtered < PrefixProbedRows : filtered * ProbeCostRatio < textMatches));

    /// <summary>Matches in all, from <paramref name="counted"/> found among the row ids up to <paramref name="reached"/>.</summary>
    internal static long EstimateMatches(long counted, long reached, long maxId)
        => reached <= 0 || maxId <= reached ? counted : (long)Math.Min(maxId, (double)counted * maxId / reached);

    /// <summary>
    /// Whether walking the sort's index (probing each row) finds the page for less than sorting every match: walking
    /// reads about depth × rows ÷ matches rows at <see cref="ProbeCostRatio"/> the cost of a sorted match. With a filter,
    /// <paramref name="matches"/> are the text's own (the walk's share of hits in the filter's range, the rows a sort reads).
    /// </summary>
    internal static bool Walk(PageRequest page, long matches, long rows, int probeCost = ProbeCostRatio)
    {
        var depth = (long)page.Offset + page.Limit;
        return matches > SearchLimits.CountLimit && depth <= MaxWalkedRows && (double)matches * matches >= (double)probeCost * depth * rows;
    }

    internal static string PageSql(SeriesSearch search, PageRequest page, bool text, string where, long total, bool walk, bool filterLeads = false)
    {
        var direction = search.Descending ? "DESC" : "ASC";
        var limit = " LIMIT $limit OFFSET $offset";
        if (text && filterLeads && search.Sort != SeriesSort.Relevance)
        {
            // At most CountLimit series pass the filters: each is probed for the text and the few that match are sorted.
            // Not by relevance: a probe's rank computes the text's statistics again, for each series (a short prefix and
            // a month of series: 1.2-1.7 s instead of 30-45 ms led by the text).
            return $"SELECT {SeriesColumns} FROM series s INDEXED BY {FilterIndex(search)} CROSS JOIN series_fts ON series_fts.rowid = s.id{where} " +
                   $"ORDER BY {Order(search.Sort, direction)}{limit}";
        }

        if (!text)
        {
            // The indexes of schemas V002 and V003 serve each order, with or without a modality filter. With one, it is
            // named: SQLite sees several indexes that start with the modality and may pick one that needs a sort. When
            // the filters pass no more than the count limit, their own index reads those few and they are sorted:
            // walking the order's index would test every series the filters reject.
            var filtered = !string.IsNullOrWhiteSpace(search.Modality) || search.From is not null || search.To is not null;
            var hint = filtered && !SearchLimits.IsCapped(total) ? $" INDEXED BY {FilterIndex(search)}"
                : !string.IsNullOrWhiteSpace(search.Modality) && WalkIndex(search) is { } byModality ? $" INDEXED BY {byModality}"
                : "";
            return $"SELECT {SeriesColumns} FROM series s{hint}{where} ORDER BY {Order(search.Sort, direction)}{limit}";
        }

        if (search.Sort == SeriesSort.Relevance)
        {
            // bm25 costs a little per row; over more than the window it ranks the newest matches only.
            return !SearchLimits.IsCapped(total) && total <= RelevanceWindow
                ? $"SELECT {SeriesColumns} FROM series_fts CROSS JOIN series s ON s.id = series_fts.rowid{where} ORDER BY series_fts.rank, s.id{limit}"
                : $"SELECT {SeriesColumns} FROM (SELECT series_fts.rowid AS id, series_fts.rank AS rank FROM series_fts CROSS JOIN series s ON s.id = series_fts.rowid{where} " +
                  $"ORDER BY series_fts.rowid DESC LIMIT {RelevanceWindow}) m CROSS JOIN series s ON s.id = m.id ORDER BY m.rank, s.id{limit}";
        }

        var index = WalkIndex(search);
        if (walk && index is not null)
        {
            return $"SELECT {SeriesColumns} FROM series s INDEXED BY {index} CROSS JOIN series_fts ON series_fts.rowid = s.id{where} " +
                   $"ORDER BY {Order(search.Sort, direction)}{limit}";
        }

        // The matches are sorted by their keys and row id only, and the page's rows read after: a sorter fed every
        // match's 23 columns cost twice as much (1,000 matches: ~0.9 against ~0.4 ms).
        var order = Order(search.Sort, direction);
        return $"SELECT {SeriesColumns} FROM (SELECT s.id AS id FROM series_fts CROSS JOIN series s ON s.id = series_fts.rowid{where} ORDER BY {order}{limit}) p " +
               $"CROSS JOIN series s ON s.id = p.id ORDER BY {order}";
    }

    /// <summary>Every order ends with the row id in the same direction, so that an index (which ends with it) serves it.</summary>
    private static string Order(SeriesSort sort, string direction) => sort switch
    {
        SeriesSort.PatientName => $"s.patient_name {direction}, s.id {direction}",
        SeriesSort.Modality => $"s.modality {direction}, s.id {direction}",
        SeriesSort.FileCount => $"s.file_count {direction}, s.id {direction}",
        SeriesSort.LastSeen => $"s.last_seen {direction}, s.id {direction}",
        _ => $"s.study_date {direction}, s.study_time {direction}, CAST(s.series_number AS INTEGER) {direction}, s.id {direction}",
    };

    /// <summary>The index whose order is the search's and which filters as the search does, or <see langword="null"/>.</summary>
    private static string? WalkIndex(SeriesSearch search)
    {
        var modality = !string.IsNullOrWhiteSpace(search.Modality);
        if (search.Sort != SeriesSort.StudyDate && (search.From is not null || search.To is not null))
        {
            return null;
        }

        return search.Sort switch
        {
            SeriesSort.PatientName => modality ? "series_by_modality_patient_name" : "series_by_patient_name",
            SeriesSort.Modality => "series_by_modality_only",
            SeriesSort.FileCount => modality ? "series_by_modality_file_count" : "series_by_file_count",
            SeriesSort.LastSeen => modality ? "series_by_modality_last_seen" : "series_by_last_seen",
            _ => modality ? "series_by_modality_study_order" : "series_by_study_order",
        };
    }

    /// <summary>
    /// The index's terms that start with <paramref name="prefix"/>, at most <see cref="SearchText.MaxExpandedTerms"/> + 1:
    /// each is the first occurrence at or after the previous term followed by U+0001 (no term holds a control character).
    /// fts5vocab seeks for <c>term &gt;= x</c>, but for <c>term &gt; x</c> it steps through every occurrence of x (11 ms
    /// for a term in 100,000 series).
    /// </summary>
    private static List<string> Terms(ReadConnectionPool.Lease lease, SqliteTransaction snapshot, string prefix)
    {
        var terms = new List<string>();
        var command = lease.Command("SELECT term FROM series_fts_terms WHERE term >= $from AND term < $upper LIMIT 1", snapshot);
        var from = command.Parameters.AddWithValue("$from", prefix);
        command.Parameters.AddWithValue("$upper", SearchText.UpperBound(prefix));
        while (terms.Count <= SearchText.MaxExpandedTerms && command.ExecuteScalar() is string term)
        {
            terms.Add(term);
            from.Value = term + "\u0001";
        }

        return terms;
    }
}
