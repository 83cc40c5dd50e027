using System.Text.Json;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Status;

/// <summary>
/// Reads and writes the status file (<c>&lt;index&gt;.status.json</c> by default). Writes go to a temporary file that is then renamed over the old one, so a
/// reader only ever sees a whole file, never a half-written one.
/// </summary>
public static class StatusFile
{
    /// <summary>The JSON settings: the design's snake_case names, enums as strings (from the source-generated context).</summary>
    public static JsonSerializerOptions JsonOptions => StatusJsonContext.Default.Options;

    /// <summary>Writes <paramref name="status"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IndexStatus status)
    {
        ArgumentNullException.ThrowIfNull(path);
        var temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        var bytes = StatusJsonWriter.ToUtf8Bytes(status);
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a status file, or returns <see langword="null"/> when there is none.</summary>
    /// <exception cref="JsonException">The file is not a status file.</exception>
    public static IndexStatus? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize(File.ReadAllBytes(path), StatusJsonContext.Default.IndexStatus);
    }
}
