using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Query;

internal sealed partial class IndexQuery
{
    /// <summary>
    /// Writes the design's index JSON: an array of series objects (SeriesKey, PatientName, PatientID, PatientBirthDate,
    /// StudyDate, StudyDescription, SeriesDescription, SeriesNumber, Modality, files, file_count). Missing values are
    /// empty strings, as the design's Python wrote them. One series at a time is in memory.
    /// </summary>
    public async Task ExportAsync(Stream destination, ExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new ExportOptions();
        using var lease = _pool.Rent();
        var connection = lease.Connection;
        using var rootCommand = connection.CreateCommand();
        rootCommand.CommandText = "SELECT value FROM meta WHERE key = 'root'";
        var root = options.AbsolutePaths ? rootCommand.ExecuteScalar() as string : null;
        var separator = root is not null && root.Contains('\\', StringComparison.Ordinal) && !root.Contains('/', StringComparison.Ordinal) ? '\\' : '/';

        using var series = connection.CreateCommand();
        series.CommandText =
            "SELECT id, series_key, patient_name, patient_id, patient_birth_date, study_date, study_description, series_description, series_number, modality " +
            "FROM series ORDER BY id";
        using var files = connection.CreateCommand();
        files.CommandText = "SELECT path FROM file_paths WHERE series_id = $id ORDER BY instance_number IS NULL, instance_number, path";
        var seriesId = files.Parameters.Add(new SqliteParameter("$id", 0L));

        await using var json = new Utf8JsonWriter(destination, new JsonWriterOptions { Indented = options.Indented });
        json.WriteStartArray();
        using (var reader = series.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                json.WriteStartObject();
                json.WriteString("SeriesKey", reader.GetString(1));
                json.WriteString("PatientName", Text(reader, 2) ?? "");
                json.WriteString("PatientID", Text(reader, 3) ?? "");
                json.WriteString("PatientBirthDate", Text(reader, 4) ?? "");
                json.WriteString("StudyDate", Text(reader, 5) ?? "");
                json.WriteString("StudyDescription", Text(reader, 6) ?? "");
                json.WriteString("SeriesDescription", Text(reader, 7) ?? "");
                json.WriteString("SeriesNumber", Text(reader, 8) ?? "");
                json.WriteString("Modality", Text(reader, 9) ?? "");
                json.WriteStartArray("files");
                seriesId.Value = reader.GetInt64(0);
                var count = 0;
                using (var paths = files.ExecuteReader())
                {
                    while (paths.Read())
                    {
                        json.WriteStringValue(Render(root, separator, paths.GetString(0)));
                        count++;
                    }
                }

                json.WriteEndArray();
                json.WriteNumber("file_count", count);
                json.WriteEndObject();
                if (json.BytesPending > 64 * 1024)
                {
                    await json.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Render(string? root, char separator, string relativePath)
    {
        if (root is null)
        {
            return relativePath;
        }

        var path = separator == '/' ? relativePath : relativePath.Replace('/', separator);
        return root.EndsWith(separator) ? root + path : string.Concat(root, separator.ToString(), path);
    }
}
