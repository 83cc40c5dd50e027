using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using NasPacs.Dicom;

namespace NasPacs.Cli.Commands;

/// <summary><c>naspacs headers &lt;file-or-folder&gt;... [--recursive]</c>: one JSON object per file with the index tags.</summary>
internal static class HeadersCommand
{
    // What the indexer reads, so the status and tags are what the index would get.
    private static readonly DicomHeaderReader Reader = new();

    // A second look, on to Pixel Data, only to print its offset: this command is for people, not for indexing speed.
    private static readonly DicomHeaderReader PixelDataLocator = new(new DicomHeaderReaderOptions { Tags = [DicomTags.PixelData] });

    private static readonly JsonWriterOptions JsonOptions = new()
    {
        // Names in Japanese or Greek print as themselves, not as \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders to read.", Arity = ArgumentArity.OneOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Read folders recursively." };
        var command = new Command("headers", "Print the DICOM header values NasPacs indexes, one JSON object per file.") { paths, recursive };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(recursive), parse.InvocationConfiguration.Output, ct));
        return command;
    }

    /// <summary>Writes one line per file; returns <see cref="ExitCodes.CompletedWithErrors"/> when any file was not read as DICOM.</summary>
    internal static async Task<int> RunAsync(IReadOnlyList<string> paths, bool recursive, TextWriter output, CancellationToken cancellationToken)
    {
        var allOk = true;
        foreach (var path in paths)
        {
            foreach (var file in Expand(path, recursive))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return ExitCodes.Cancelled;
                }

                allOk &= await WriteFileAsync(file, output, cancellationToken);
            }
        }

        return allOk ? ExitCodes.Ok : ExitCodes.CompletedWithErrors;
    }

    private static IEnumerable<string> Expand(string path, bool recursive)
    {
        if (!Directory.Exists(path))
        {
            // A missing file gets its own "error" line from the read.
            yield return path;
            yield break;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = recursive, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var files = Directory.EnumerateFiles(path, "*", options).ToList();
        files.Sort(StringComparer.Ordinal);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    private static async Task<bool> WriteFileAsync(string path, TextWriter output, CancellationToken cancellationToken)
    {
        DicomHeader? header = null;
        long? pixelDataOffset = null;
        string? ioError = null;
        try
        {
            header = Reader.ReadFile(path);
            if (header.Status == DicomHeaderStatus.Ok)
            {
                pixelDataOffset = header.PixelDataOffset ?? PixelDataLocator.ReadFile(path).PixelDataOffset;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ioError = ex.Message;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            Write(json, path, header, pixelDataOffset, ioError);
        }

        await output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length).AsMemory(), cancellationToken);
        return header?.Status == DicomHeaderStatus.Ok;
    }

    /// <summary>
    /// One file as JSON: path, status, error (message, offset, tag), character set warning, pixel data offset, tags (for a file
    /// that failed, the tags read before the problem).
    /// </summary>
    internal static void Write(Utf8JsonWriter json, string path, DicomHeader? header, long? pixelDataOffset, string? ioError)
    {
        json.WriteStartObject();
        json.WriteString("path", path);
        json.WriteString("status", header is null ? "error" : StatusText(header.Status));
        if (header?.Error is { } error || ioError is not null)
        {
            json.WriteStartObject("error");
            json.WriteString("message", header?.Error?.Message ?? ioError);
            if (header?.Error?.Offset is { } offset)
            {
                json.WriteNumber("offset", offset);
            }

            if (header?.Error?.Tag is { } tag)
            {
                json.WriteString("tag", tag.ToString());
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("error");
        }

        if (header?.CharacterSetWarning is { } warning)
        {
            json.WriteString("characterSetWarning", warning);
        }

        if (pixelDataOffset is { } pixelData)
        {
            json.WriteNumber("pixelDataOffset", pixelData);
        }

        json.WriteStartObject("tags");
        if (header?.TransferSyntaxUid is { } syntax)
        {
            json.WriteString("TransferSyntaxUID", syntax);
        }

        foreach (var (tag, values) in header?.Elements.OrderBy(e => e.Key) ?? Enumerable.Empty<KeyValuePair<DicomTag, IReadOnlyList<string>>>())
        {
            var name = DicomTags.TryGetKeyword(tag, out var keyword) ? keyword : tag.ToString();
            if (values.Count == 1)
            {
                json.WriteString(name, values[0]);
            }
            else if (values.Count == 0)
            {
                json.WriteString(name, "");
            }
            else
            {
                json.WriteStartArray(name);
                foreach (var value in values)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string StatusText(DicomHeaderStatus status) => status switch
    {
        DicomHeaderStatus.Ok => "ok",
        DicomHeaderStatus.NotDicom => "not-dicom",
        DicomHeaderStatus.Truncated => "truncated",
        _ => "malformed",
    };
}
