using NasPacs.Testing.Oracle;

namespace NasPacs.Dicom.Tests;

/// <summary>Compares one header with what pydicom read from the same file, tag by tag.</summary>
internal static class PydicomComparison
{
    /// <summary>The differences, each a line naming file, tag, expected and actual; pydicom's per-tag decode errors are skipped.</summary>
    public static List<string> Differences(string where, DicomHeader header, PydicomResult oracle, Func<string, bool>? skip = null)
    {
        var differences = new List<string>();
        Compare(where, "TransferSyntaxUID", oracle.TransferSyntax is null ? null : [oracle.TransferSyntax],
            header.TransferSyntaxUid is null ? null : [header.TransferSyntaxUid], differences);
        foreach (var tag in DicomTags.IndexTags)
        {
            DicomTags.TryGetKeyword(tag, out var keyword);
            if (oracle.TagErrors.ContainsKey(keyword) || skip?.Invoke(keyword) == true)
            {
                continue;
            }

            oracle.Tags.TryGetValue(keyword, out var expected);
            Compare(where, keyword, expected, header.GetValues(tag), differences);
        }

        if (header.PixelDataOffset is { } offset && offset != oracle.PixelDataOffset)
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
