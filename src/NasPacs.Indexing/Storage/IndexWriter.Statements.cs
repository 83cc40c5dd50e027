using NasPacs.Abstractions.Indexing;
using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

internal sealed partial class IndexWriter
{
    /// <summary>The writer's prepared commands; each is compiled once per run.</summary>
    private sealed partial class Statements : IDisposable
    {
        private const string FileColumns = "folder_id, name, size, mtime, state, series_id, sop_instance_uid, instance_number, transfer_syntax_uid, run_id";
        private const string FileValues = "$folder, $name, $size, $mtime, $state, $series, $sop, $instance, $ts, $run";

        private const string SeriesColumns =
            "series_key, patient_name, patient_id, patient_birth_date, patient_sex, study_instance_uid, study_date, study_time, study_description, " +
            "accession_number, study_id, institution_name, referring_physician_name, series_instance_uid, series_number, series_date, " +
            "series_description, modality, body_part_examined";

        private readonly List<SqliteCommand> _all = [];

        public Statements(SqliteConnection connection)
        {
            SqliteCommand Prepare(string sql)
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (System.Text.RegularExpressions.Match match in Parameter().Matches(sql))
                {
                    if (!command.Parameters.Contains(match.Value))
                    {
                        command.Parameters.Add(new SqliteParameter(match.Value, null));
                    }
                }

                _all.Add(command);
                return command;
            }

            InsertFile = new FileStatement(connection, $"INSERT INTO files ({FileColumns}) VALUES ({FileValues}) ON CONFLICT (folder_id, name) DO NOTHING");
            UpdateFile = new FileStatement(connection,
                "UPDATE files SET folder_id = $folder, name = $name, size = $size, mtime = $mtime, state = $state, series_id = $series, " +
                "sop_instance_uid = $sop, instance_number = $instance, transfer_syntax_uid = $ts, run_id = $run WHERE id = $id");
            DeleteFileById = Prepare("DELETE FROM files WHERE id = $id");
            DeleteFileReturning = Prepare("DELETE FROM files WHERE id = $id RETURNING series_id, size, state");
            InsertFolder = Prepare("INSERT OR IGNORE INTO folders (path) VALUES ($path)");
            SelectFolder = Prepare("SELECT id FROM folders WHERE path = $path");
            SelectSeries = new SeriesKeyStatement(connection);
            InsertSeries = new SeriesStatement(connection,
                $"INSERT INTO series ({SeriesColumns}, file_count, total_bytes, first_seen, last_seen) VALUES " +
                "($key, $patient_name, $patient_id, $patient_birth_date, $patient_sex, $study_instance_uid, $study_date, $study_time, $study_description, " +
                "$accession_number, $study_id, $institution_name, $referring_physician_name, $series_instance_uid, $series_number, $series_date, " +
                "$series_description, $modality, $body_part_examined, 0, 0, $now, $now)");
            InsertSeriesText = Prepare(SeriesText.Insert);
            UpdateSeriesCounts = new SeriesCountsStatement(connection);
            DeleteEmptySeries = Prepare("DELETE FROM series WHERE id = $id AND file_count <= 0");
            InsertError = Prepare(
                "INSERT INTO errors (run_id, category, code, message, suggestion, path, timestamp, retry_count, is_transient) " +
                "VALUES ($run, $category, $code, $message, $suggestion, $path, $timestamp, $retry, $transient)");
            DeleteErrorsOfPath = new PreparedStatement(connection, "DELETE FROM errors WHERE path = $path");
            DeleteErrorsOfFile = Prepare("DELETE FROM errors WHERE path = (SELECT path FROM file_paths WHERE id = $id)");
        }

        public FileStatement InsertFile { get; }
        public FileStatement UpdateFile { get; }
        public SqliteCommand DeleteFileById { get; }
        public SqliteCommand DeleteFileReturning { get; }
        public SqliteCommand InsertFolder { get; }
        public SqliteCommand SelectFolder { get; }
        public SeriesKeyStatement SelectSeries { get; }

        public SeriesStatement InsertSeries { get; }
        public SqliteCommand InsertSeriesText { get; }
        public SeriesCountsStatement UpdateSeriesCounts { get; }
        public SqliteCommand DeleteEmptySeries { get; }
        public SqliteCommand InsertError { get; }
        /// <summary>The reports about one path ($path, the only parameter), by index (schema V005).</summary>
        public PreparedStatement DeleteErrorsOfPath { get; }
        public SqliteCommand DeleteErrorsOfFile { get; }

        public void Enlist(SqliteTransaction transaction)
        {
            foreach (var command in _all)
            {
                command.Transaction = transaction;
            }
        }

        public void Dispose()
        {
            foreach (var command in _all)
            {
                command.Dispose();
            }

            InsertFile.Dispose();
            UpdateFile.Dispose();
            SelectSeries.Dispose();
            InsertSeries.Dispose();
            UpdateSeriesCounts.Dispose();
            DeleteErrorsOfPath.Dispose();
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"\$[a-z_]+")]
        private static partial System.Text.RegularExpressions.Regex Parameter();
    }

    /// <summary>A series' id by its key.</summary>
    private sealed class SeriesKeyStatement : IDisposable
    {
        private readonly PreparedStatement _statement;
        private readonly int _key;

        public SeriesKeyStatement(SqliteConnection connection)
        {
            _statement = new PreparedStatement(connection, "SELECT id FROM series WHERE series_key = $key");
            _key = _statement.Parameter("$key");
        }

        /// <summary>The id of the series with <paramref name="key"/>, or <see langword="null"/> when there is none.</summary>
        public long? Find(string key)
        {
            _statement.Bind(_key, key);
            try
            {
                return _statement.Read() ? _statement.Int64(0) : null;
            }
            finally
            {
                _statement.Reset();
            }
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>Adds a transaction's change to a series' file count and bytes: once per changed series per transaction.</summary>
    private sealed class SeriesCountsStatement : IDisposable
    {
        private readonly PreparedStatement _statement;
        private readonly int _count;
        private readonly int _bytes;
        private readonly int _now;
        private readonly int _id;

        public SeriesCountsStatement(SqliteConnection connection)
        {
            _statement = new PreparedStatement(
                connection,
                "UPDATE series SET file_count = file_count + $count, total_bytes = total_bytes + $bytes, last_seen = $now WHERE id = $id");
            (_count, _bytes, _now, _id) = (P("$count"), P("$bytes"), P("$now"), P("$id"));

            int P(string name) => _statement.Parameter(name);
        }

        public void Add(long id, long count, long bytes, long now)
        {
            _statement.Bind(_count, count);
            _statement.Bind(_bytes, bytes);
            _statement.Bind(_now, now);
            _statement.Bind(_id, id);
            _statement.Execute();
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>The insert of a series row: twenty values, bound without <see cref="SqliteCommand"/>'s allocations.</summary>
    private sealed class SeriesStatement : IDisposable
    {
        private static readonly string[] Names =
        [
            "$key", "$patient_name", "$patient_id", "$patient_birth_date", "$patient_sex", "$study_instance_uid", "$study_date", "$study_time",
            "$study_description", "$accession_number", "$study_id", "$institution_name", "$referring_physician_name", "$series_instance_uid",
            "$series_number", "$series_date", "$series_description", "$modality", "$body_part_examined",
        ];

        private readonly PreparedStatement _statement;
        private readonly int[] _text;
        private readonly int _now;

        public SeriesStatement(SqliteConnection connection, string sql)
        {
            _statement = new PreparedStatement(connection, sql);
            _text = Array.ConvertAll(Names, _statement.Parameter);
            _now = _statement.Parameter("$now");
        }

        /// <summary>Inserts the series and returns its id.</summary>
        public long Insert(SeriesSummary f, long now)
        {
            string?[] values =
            [
                f.SeriesKey, f.PatientName, f.PatientId, f.PatientBirthDate, f.PatientSex, f.StudyInstanceUid, f.StudyDate, f.StudyTime,
                f.StudyDescription, f.AccessionNumber, f.StudyId, f.InstitutionName, f.ReferringPhysicianName, f.SeriesInstanceUid,
                f.SeriesNumber, f.SeriesDate, f.SeriesDescription, f.Modality, f.BodyPartExamined,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                _statement.Bind(_text[i], values[i]);
            }

            _statement.Bind(_now, now);
            _statement.Execute();
            return _statement.LastInsertRowId();
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>The insert or the update of a file row: one per file, so bound without <see cref="SqliteCommand"/>'s allocations.</summary>
    private sealed class FileStatement : IDisposable
    {
        private readonly PreparedStatement _statement;
        private readonly int _folder;
        private readonly int _name;
        private readonly int _size;
        private readonly int _mtime;
        private readonly int _state;
        private readonly int _series;
        private readonly int _sop;
        private readonly int _instance;
        private readonly int _ts;
        private readonly int _run;
        private readonly int _id;

        public FileStatement(SqliteConnection connection, string sql)
        {
            _statement = new PreparedStatement(connection, sql);
            (_folder, _name, _size, _mtime, _state) = (P("$folder"), P("$name"), P("$size"), P("$mtime"), P("$state"));
            (_series, _sop, _instance, _ts, _run) = (P("$series"), P("$sop"), P("$instance"), P("$ts"), P("$run"));
            _id = sql.Contains("$id", StringComparison.Ordinal) ? P("$id") : 0;

            int P(string name) => _statement.Parameter(name);
        }

        /// <summary>Writes the row of <paramref name="result"/> (by <paramref name="id"/> for an update); returns the rows changed.</summary>
        public int Execute(FileResult result, long folderId, long? seriesId, long runId, long? id = null)
        {
            var entry = result.Item.Entry;
            _statement.Bind(_folder, folderId);
            _statement.Bind(_name, result.Item.Name);
            _statement.Bind(_size, entry.Size);
            _statement.Bind(_mtime, entry.LastWriteTimeUtc.UtcTicks);
            _statement.Bind(_state, (long)result.State);
            _statement.Bind(_series, seriesId);
            _statement.Bind(_sop, result.SopInstanceUid);
            _statement.Bind(_instance, result.InstanceNumber);
            _statement.Bind(_ts, result.TransferSyntaxUid);
            _statement.Bind(_run, runId);
            if (_id > 0)
            {
                _statement.Bind(_id, id);
            }

            return _statement.Execute();
        }

        public void Dispose() => _statement.Dispose();
    }
}
