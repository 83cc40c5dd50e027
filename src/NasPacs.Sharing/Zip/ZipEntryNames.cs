using System.Globalization;
using System.Text;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing.Zip;

/// <summary>
/// Zip entry names that mean something and open safely everywhere: relative, no <c>..</c>, none of the characters Windows or
/// macOS refuse (<c>&lt;&gt;:"/\|?*</c>, control characters), no trailing dot or space, no reserved device name, NFC
/// (macOS shows decomposed names as different files), each part at most 64 characters.
/// </summary>
internal static class ZipEntryNames
{
    private const int MaxPart = 64;
    private static readonly string[] Reserved = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    /// <summary><c>{PatientID}_{StudyDate}/{SeriesNumber}_{SeriesDescription}/</c>.</summary>
    public static string Folder(SeriesSummary series)
        => Part($"{Or(series.PatientId, "unknown")}_{Or(series.StudyDate, "nodate")}", "series") + "/"
        + Part($"{Or(series.SeriesNumber, "0")}_{Or(series.SeriesDescription, series.Modality ?? "series")}", "series") + "/";

    /// <summary><c>IM_00001.dcm</c>, with at least <paramref name="width"/> digits.</summary>
    public static string File(int number, int width) => "IM_" + number.ToString("D" + width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + ".dcm";

    /// <summary>Digits needed to number <paramref name="count"/> files: at least 5.</summary>
    public static int Width(long count) => Math.Max(5, count.ToString(CultureInfo.InvariantCulture).Length);

    /// <summary>One path component made safe; <paramref name="fallback"/> when nothing usable is left.</summary>
    public static string Part(string? value, string fallback)
    {
        var text = (value ?? "").Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(Math.Min(text.Length, MaxPart + 1));
        foreach (var c in text)
        {
            if (builder.Length >= MaxPart)
            {
                break;
            }

            builder.Append(c switch
            {
                < ' ' or '\u007F' or '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' => '_',
                _ when char.IsWhiteSpace(c) => '_',
                _ => c,
            });
        }

        // A cut must not leave half a surrogate pair.
        if (builder.Length > 0 && char.IsHighSurrogate(builder[^1]))
        {
            builder.Length--;
        }

        var part = builder.ToString().Trim('.', ' ', '_');
        if (part.Length == 0)
        {
            return fallback;
        }

        var stem = part.Split('.')[0];
        return Reserved.Contains(stem, StringComparer.OrdinalIgnoreCase) ? "_" + part : part;
    }

    private static string Or(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
}
