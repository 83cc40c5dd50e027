using System.Buffers;
using System.Text.Json;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Status;

/// <summary>
/// Writes a status as <see cref="StatusJsonContext"/> serializes it, byte for byte (a test holds the two together), without
/// the context's metadata. A run writes its status from its first moments, on the walk's thread; the source-generated
/// metadata is built on first use, about 6 ms of CPU in a native AOT binary plus the garbage collection its allocations
/// triggered (perf, a run over an empty folder), which delayed the walk by as much. The metadata cannot be left out:
/// the generator's serialization-only mode does not support the snake_case enum converters.
/// </summary>
internal static class StatusJsonWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static byte[] ToUtf8Bytes(IndexStatus status)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            Write(json, status);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter json, IndexStatus status)
    {
        json.WriteStartObject();
        json.WriteNumber("enumerated_files", status.EnumeratedFiles);
        json.WriteNumber("files_processed", status.FilesProcessed);
        json.WriteNumber("series_count", status.SeriesCount);
        json.WriteNumber("errors", status.Errors);
        json.WriteBoolean("running", status.Running);
        json.WriteString("last_updated", status.LastUpdated);
        WriteTime(json, "estimated_completion", status.EstimatedCompletion);
        json.WriteString("phase", Name(status.Phase));
        json.WriteNumber("run_id", status.RunId);
        json.WriteString("root", status.Root);
        WriteTime(json, "started_at", status.StartedAt);
        json.WriteNumber("folders_seen", status.FoldersSeen);
        json.WriteNumber("files_seen", status.FilesSeen);
        json.WriteNumber("files_per_second", status.FilesPerSecond);
        json.WriteNumber("bytes_read", status.BytesRead);
        json.WriteNumber("new_files", status.NewFiles);
        json.WriteNumber("modified_files", status.ModifiedFiles);
        json.WriteNumber("unchanged_files", status.UnchangedFiles);
        json.WriteNumber("removed_files", status.RemovedFiles);
        json.WriteNumber("not_dicom_files", status.NotDicomFiles);
        json.WriteNumber("dicom_dir_files", status.DicomDirFiles);
        json.WriteStartObject("errors_by_category");
        foreach (var (category, count) in status.ErrorsByCategory)
        {
            json.WriteNumber(Name(category), count);
        }

        json.WriteEndObject();
        json.WriteString("failure_message", status.FailureMessage);
        json.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            json.WriteString(name, time);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum
        => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
