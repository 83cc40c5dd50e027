using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Storage;

namespace NasPacs.Indexing.Query;

/// <summary>
/// Read-only queries over an index file, on pooled query-only connections (WAL: never blocked by a running writer, and
/// each query sees the newest commit).
/// </summary>
internal sealed partial class IndexQuery : IIndexQuery, IDisposable
{
    private const string SeriesColumns =
        "s.series_key, s.patient_name, s.patient_id, s.patient_birth_date, s.patient_sex, s.study_instance_uid, s.study_date, s.study_time, " +
        "s.study_description, s.accession_number, s.study_id, s.institution_name, s.referring_physician_name, s.series_instance_uid, " +
        "s.series_number, s.series_date, s.series_description, s.modality, s.body_part_examined, s.file_count, s.total_bytes, s.first_seen, s.last_seen";

    /// <summary>The ordinal after <see cref="SeriesColumns"/> in a select that starts with them.</summary>
    private static readonly int SeriesColumnCount = SeriesColumns.Split(',').Length;

    private readonly ReadConnectionPool _pool;

    public IndexQuery(string databasePath) => _pool = new ReadConnectionPool(new IndexDatabase(databasePath));

    /// <summary>The connections behind the queries (tests).</summary>
    internal ReadConnectionPool Pool => _pool;

    public void Dispose() => _pool.Dispose();

    public Task<SeriesSummary?> GetSeriesAsync(string seriesKey, CancellationToken cancellationToken = default)
    {
        using var lease = _pool.Rent();
        using var command = lease.Connection.CreateCommand();
        command.CommandText = $"SELECT {SeriesColumns} FROM series s WHERE s.series_key = $key";
        command.Parameters.AddWithValue("$key", seriesKey);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadSeries(reader) : null);
    }

    public Task<Page<IndexedFile>> GetSeriesFilesAsync(string seriesKey, PageRequest page, CancellationToken cancellationToken = default)
    {
        page = Checked(page);
        using var lease = _pool.Rent();
        using var command = lease.Connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM files f JOIN series s ON s.id = f.series_id WHERE s.series_key = $key";
        command.Parameters.AddWithValue("$key", seriesKey);
        var total = (long)command.ExecuteScalar()!;
        command.CommandText =
            "SELECT p.path, p.size, p.mtime, p.state, s.series_key, p.sop_instance_uid, p.instance_number, p.transfer_syntax_uid " +
            "FROM file_paths p JOIN series s ON s.id = p.series_id WHERE s.series_key = $key " +
            "ORDER BY p.instance_number IS NULL, p.instance_number, p.path LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", page.Limit);
        command.Parameters.AddWithValue("$offset", page.Offset);
        var items = new List<IndexedFile>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                items.Add(new IndexedFile(
                    reader.GetString(0),
                    reader.GetInt64(1),
                    new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                    (IndexedFileState)reader.GetInt32(3),
                    reader.GetString(4),
                    Text(reader, 5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    Text(reader, 7)));
            }
        }

        return Task.FromResult(new Page<IndexedFile>(items, total, page.Offset, page.Limit));
    }

    public Task<Page<StoredError>> GetErrorsAsync(ErrorSearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var page = Checked(search.Page);
        using var lease = _pool.Rent();
        using var command = lease.Connection.CreateCommand();
        var where = " WHERE ($category IS NULL OR category = $category) AND ($run IS NULL OR run_id = $run)";
        command.Parameters.AddWithValue("$category", (object?)search.Category?.ToString() ?? DBNull.Value);
        command.Parameters.AddWithValue("$run", (object?)search.RunId ?? DBNull.Value);
        command.CommandText = "SELECT COUNT(*) FROM errors" + where;
        var total = (long)command.ExecuteScalar()!;
        command.CommandText =
            "SELECT id, run_id, category, code, message, suggestion, path, timestamp, retry_count, is_transient FROM errors" + where +
            " ORDER BY id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", page.Limit);
        command.Parameters.AddWithValue("$offset", page.Offset);
        var items = new List<StoredError>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var report = new ErrorReport(
                    Enum.TryParse<ErrorCategory>(reader.GetString(2), out var category) ? category : ErrorCategory.System,
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    Text(reader, 6),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                    reader.GetInt32(8),
                    reader.GetInt32(9) != 0);
                items.Add(new StoredError(reader.GetInt64(0), reader.GetInt64(1), report));
            }
        }

        return Task.FromResult(new Page<StoredError>(items, total, page.Offset, page.Limit));
    }

    public Task<Page<IndexRunInfo>> GetRunsAsync(PageRequest page, CancellationToken cancellationToken = default)
    {
        page = Checked(page);
        using var lease = _pool.Rent();
        using var command = lease.Connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM runs";
        var total = (long)command.ExecuteScalar()!;
        command.CommandText =
            "SELECT id, root, started_at, ended_at, outcome, enumerated, processed, new_files, modified_files, unchanged_files, removed_files, errors " +
            "FROM runs ORDER BY id DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", page.Limit);
        command.Parameters.AddWithValue("$offset", page.Offset);
        var items = new List<IndexRunInfo>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                items.Add(new IndexRunInfo
                {
                    Id = reader.GetInt64(0),
                    Root = reader.GetString(1),
                    StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                    EndedAt = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                    Outcome = Enum.TryParse<IndexRunOutcome>(reader.GetString(4), ignoreCase: true, out var outcome) ? outcome : IndexRunOutcome.Interrupted,
                    EnumeratedFiles = reader.GetInt64(5),
                    FilesProcessed = reader.GetInt64(6),
                    NewFiles = reader.GetInt64(7),
                    ModifiedFiles = reader.GetInt64(8),
                    UnchangedFiles = reader.GetInt64(9),
                    RemovedFiles = reader.GetInt64(10),
                    Errors = reader.GetInt64(11),
                });
            }
        }

        return Task.FromResult(new Page<IndexRunInfo>(items, total, page.Offset, page.Limit));
    }

    public Task<IndexTotals> GetTotalsAsync(CancellationToken cancellationToken = default)
    {
        using var lease = _pool.Rent();
        using var command = lease.Connection.CreateCommand();
        command.CommandText =
            "SELECT (SELECT COUNT(*) FROM series), (SELECT COALESCE(SUM(file_count), 0) FROM series), (SELECT COALESCE(SUM(total_bytes), 0) FROM series), " +
            "(SELECT COUNT(*) FROM files WHERE series_id IS NULL), (SELECT value FROM meta WHERE key = 'root')";
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(new IndexTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), Text(reader, 4)));
    }

    private static PageRequest Checked(PageRequest? page)
    {
        page ??= new PageRequest();
        if (page.Offset < 0 || page.Limit is < 1 or > PageRequest.MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(page), $"Offset must be at least 0 and limit 1 to {PageRequest.MaxLimit}.");
        }

        return page;
    }

    private static SeriesSummary ReadSeries(SqliteDataReader r) => new()
    {
        SeriesKey = r.GetString(0),
        PatientName = Text(r, 1),
        PatientId = Text(r, 2),
        PatientBirthDate = Text(r, 3),
        PatientSex = Text(r, 4),
        StudyInstanceUid = Text(r, 5),
        StudyDate = Text(r, 6),
        StudyTime = Text(r, 7),
        StudyDescription = Text(r, 8),
        AccessionNumber = Text(r, 9),
        StudyId = Text(r, 10),
        InstitutionName = Text(r, 11),
        ReferringPhysicianName = Text(r, 12),
        SeriesInstanceUid = Text(r, 13),
        SeriesNumber = Text(r, 14),
        SeriesDate = Text(r, 15),
        SeriesDescription = Text(r, 16),
        Modality = Text(r, 17),
        BodyPartExamined = Text(r, 18),
        FileCount = r.GetInt64(19),
        TotalBytes = r.GetInt64(20),
        FirstSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(21)),
        LastSeen = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(22)),
    };

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
