using NasPacs.Testing.Oracle;

namespace NasPacs.Dicom.Tests;

/// <summary>Compares one header with what pydicom read from the same file, tag by tag.</summary>
internal static class PydicomComparison
{
    /// <summary>The differences, each a line naming file, tag, expected and actual; pydicom's per-tag decode errors are skipped.</summary>
    public static List<string> Differences(string where, DicomHeader header, PydicomResult oracle, Func<string, bool>? skip = null) =>
        Differences(where, header.TransferSyntaxUid, header.PixelDataOffset, header.GetValues, text: null, oracle, skip);

    /// <summary>
    /// The same for the reusable result, whose values are decoded on demand; its allocation-free text (<c>TryGetString</c>)
    /// is compared with pydicom's values joined by <c>\</c>.
    /// </summary>
    public static List<string> Differences(string where, DicomHeaderValues header, PydicomResult oracle, Func<string, bool>? skip = null) =>
        Differences(where, header.TransferSyntaxUid, header.PixelDataOffset, header.GetValues, tag =>
        {
            Span<char> buffer = stackalloc char[4096];
            return header.TryGetString(tag, buffer, out var written) ? new string(buffer[..written]) : null;
        }, oracle, skip);

    private static List<string> Differences(string where, string? transferSyntaxUid, long? pixelDataOffset, Func<DicomTag, IReadOnlyList<string>?> values,
        Func<DicomTag, string?>? text, PydicomResult oracle, Func<string, bool>? skip)
    {
        var differences = new List<string>();
        Compare(where, "TransferSyntaxUID", oracle.TransferSyntax is null ? null : [oracle.TransferSyntax],
            transferSyntaxUid is null ? null : [transferSyntaxUid], differences);
        foreach (var tag in DicomTags.IndexTags)
        {
            DicomTags.TryGetKeyword(tag, out var keyword);
            if (oracle.TagErrors.ContainsKey(keyword) || skip?.Invoke(keyword) == true)
            {
                continue;
            }

            oracle.Tags.TryGetValue(keyword, out var expected);
            Compare(where, keyword, expected, values(tag), differences);
            if (text is not null && text(tag) is var actual && actual != (expected is null ? null : string.Join('\\', expected)))
            {
                differences.Add($"{where} {keyword} as text: expected {Show(expected)} joined, actual {actual ?? "absent"}");
            }
        }

        if (pixelDataOffset is { } offset && offset != oracle.PixelDataOffset)
        {
            differences.Add($"{where} PixelData offset: expected {oracle.PixelDataOffset?.ToString() ?? "none"}, actual {offset}");
        }

        return differences;
    }

    public static string Show(IReadOnlyList<string>? values) =>
        values is null ? "absent" : "[" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "]";

    private static void Compare(string where, string keyword, IReadOnlyList<string>? expected, IReadOnlyList<string>? actual, List<string> differences)
    {
        var same = expected is null ? actual is null : actual is not null && expected.SequenceEqual(actual);
        if (!same)
        {
            differences.Add($"{where} {keyword}: expected {Show(expected)}, actual {Show(actual)}");
        }
    }
}
