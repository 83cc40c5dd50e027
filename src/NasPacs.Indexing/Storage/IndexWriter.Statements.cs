using NasPacs.Abstractions.Indexing;
using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Storage;

internal sealed partial class IndexWriter
{
    private void BindSeries(SeriesSummary f, long now)
    {
        var p = _sql.InsertSeries.Parameters;
        p["$key"].Value = f.SeriesKey;
        p["$patient_name"].Value = (object?)f.PatientName ?? DBNull.Value;
        p["$patient_id"].Value = (object?)f.PatientId ?? DBNull.Value;
        p["$patient_birth_date"].Value = (object?)f.PatientBirthDate ?? DBNull.Value;
        p["$patient_sex"].Value = (object?)f.PatientSex ?? DBNull.Value;
        p["$study_instance_uid"].Value = (object?)f.StudyInstanceUid ?? DBNull.Value;
        p["$study_date"].Value = (object?)f.StudyDate ?? DBNull.Value;
        p["$study_time"].Value = (object?)f.StudyTime ?? DBNull.Value;
        p["$study_description"].Value = (object?)f.StudyDescription ?? DBNull.Value;
        p["$accession_number"].Value = (object?)f.AccessionNumber ?? DBNull.Value;
        p["$study_id"].Value = (object?)f.StudyId ?? DBNull.Value;
        p["$institution_name"].Value = (object?)f.InstitutionName ?? DBNull.Value;
        p["$referring_physician_name"].Value = (object?)f.ReferringPhysicianName ?? DBNull.Value;
        p["$series_instance_uid"].Value = (object?)f.SeriesInstanceUid ?? DBNull.Value;
        p["$series_number"].Value = (object?)f.SeriesNumber ?? DBNull.Value;
        p["$series_date"].Value = (object?)f.SeriesDate ?? DBNull.Value;
        p["$series_description"].Value = (object?)f.SeriesDescription ?? DBNull.Value;
        p["$modality"].Value = (object?)f.Modality ?? DBNull.Value;
        p["$body_part_examined"].Value = (object?)f.BodyPartExamined ?? DBNull.Value;
        p["$now"].Value = now;
    }

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
            SelectSeries = Prepare("SELECT id FROM series WHERE series_key = $key");
            InsertSeries = Prepare(
                $"INSERT INTO series ({SeriesColumns}, file_count, total_bytes, first_seen, last_seen) VALUES " +
                "($key, $patient_name, $patient_id, $patient_birth_date, $patient_sex, $study_instance_uid, $study_date, $study_time, $study_description, " +
                "$accession_number, $study_id, $institution_name, $referring_physician_name, $series_instance_uid, $series_number, $series_date, " +
                "$series_description, $modality, $body_part_examined, 0, 0, $now, $now) RETURNING id");
            InsertSeriesText = Prepare(SeriesText.Insert);
            UpdateSeriesCounts = Prepare("UPDATE series SET file_count = file_count + $count, total_bytes = total_bytes + $bytes, last_seen = $now WHERE id = $id");
            DeleteEmptySeries = Prepare("DELETE FROM series WHERE id = $id AND file_count <= 0");
            InsertError = Prepare(
                "INSERT INTO errors (run_id, category, code, message, suggestion, path, timestamp, retry_count, is_transient) " +
                "VALUES ($run, $category, $code, $message, $suggestion, $path, $timestamp, $retry, $transient)");
        }

        public FileStatement InsertFile { get; }
        public FileStatement UpdateFile { get; }
        public SqliteCommand DeleteFileById { get; }
        public SqliteCommand DeleteFileReturning { get; }
        public SqliteCommand InsertFolder { get; }
        public SqliteCommand SelectFolder { get; }
        public SqliteCommand SelectSeries { get; }
        public SqliteCommand InsertSeries { get; }
        public SqliteCommand InsertSeriesText { get; }
        public SqliteCommand UpdateSeriesCounts { get; }
        public SqliteCommand DeleteEmptySeries { get; }
        public SqliteCommand InsertError { get; }

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
        }

        [System.Text.RegularExpressions.GeneratedRegex(@"\$[a-z_]+")]
        private static partial System.Text.RegularExpressions.Regex Parameter();
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
