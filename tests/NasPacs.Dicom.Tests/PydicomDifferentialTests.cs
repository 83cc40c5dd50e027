using System.Text;
using NasPacs.Testing.Oracle;
using Xunit.Abstractions;

namespace NasPacs.Dicom.Tests;

/// <summary>
/// The reader against pydicom over every file of Debian's pydicom corpus. Expected values come from pydicom at test time;
/// where pydicom reads a file only with force=True and we refuse it, dcmdump must refuse it too.
/// </summary>
public class PydicomDifferentialTests(ITestOutputHelper output)
{
    private static readonly DicomTag[] Tags = [.. DicomTags.IndexTags, DicomTags.PixelData];

    private static readonly string[] Keywords =
        [.. DicomTags.IndexTags.Select(t => DicomTags.TryGetKeyword(t, out var k) ? k : throw new InvalidOperationException()), "TransferSyntaxUID"];

    /// <summary>Deviations proven by dcmdump or by the standard, keyed by corpus path and keyword ("*" for the file).</summary>
    private static readonly Dictionary<(string File, string Keyword), string> KnownDeviations = new()
    {
    };

    [ReferenceToolsFact]
    public void ReadFile_EveryPydicomCorpusFile_MatchesPydicom()
    {
        ReferenceTools.Require();
        var files = PydicomOracle.CorpusFiles();
        Assert.True(files.Count > 150, $"Expected the pydicom corpus under {PydicomOracle.CorpusRoot}, found {files.Count} files.");
        var expected = PydicomOracle.Run(files, Keywords);
        var reader = new DicomHeaderReader(new DicomHeaderReaderOptions { Tags = Tags });
        var mismatches = new List<string>();
        var compared = 0;
        foreach (var file in files)
        {
            var oracle = expected[file];
            var header = reader.ReadFile(file);
            var relative = Path.GetRelativePath(PydicomOracle.CorpusRoot, file);
            if (KnownDeviations.ContainsKey((relative, "*")))
            {
                continue;
            }

            if (!oracle.Read)
            {
                if (header.Status == DicomHeaderStatus.Ok)
                {
                    mismatches.Add($"{relative}: pydicom rejects it ({oracle.Error}) but we read it.");
                }

                continue;
            }

            if (header.Status != DicomHeaderStatus.Ok)
            {
                // pydicom's force=True reads anything; a refusal is right when DCMTK refuses the file too.
                if (!oracle.Forced || Dcmdump.Reads(file, out _))
                {
                    mismatches.Add($"{relative}: pydicom reads it (forced={oracle.Forced}) but we say {header.Status}: {header.Error}");
                }

                continue;
            }

            compared++;
            Compare(relative, "TransferSyntaxUID", oracle.TransferSyntax is null ? null : [oracle.TransferSyntax], header.TransferSyntaxUid is null ? null : [header.TransferSyntaxUid], mismatches);
            foreach (var tag in DicomTags.IndexTags)
            {
                DicomTags.TryGetKeyword(tag, out var keyword);
                if (oracle.TagErrors.TryGetValue(keyword, out var tagError))
                {
                    output.WriteLine($"{relative} {keyword}: pydicom cannot decode it ({tagError}); we return {Show(header.GetValues(tag))}.");
                    continue;
                }

                oracle.Tags.TryGetValue(keyword, out var want);
                Compare(relative, keyword, want, header.GetValues(tag), mismatches);
            }

            if (oracle.PixelDataOffset is { } offset && header.PixelDataOffset != offset)
            {
                mismatches.Add($"{relative} PixelData offset: expected {offset}, actual {header.PixelDataOffset?.ToString() ?? "none"}");
            }
        }

        output.WriteLine($"{files.Count} files, {compared} compared value by value.");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches with pydicom:\n{string.Join('\n', mismatches)}");
    }

    private static void Compare(string file, string keyword, IReadOnlyList<string>? expected, IReadOnlyList<string>? actual, List<string> mismatches)
    {
        if (KnownDeviations.ContainsKey((file, keyword)))
        {
            return;
        }

        var same = expected is null ? actual is null : actual is not null && expected.SequenceEqual(actual);
        if (!same)
        {
            mismatches.Add($"{file} {keyword}: expected {Show(expected)}, actual {Show(actual)}");
        }
    }

    private static string Show(IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            return "absent";
        }

        var text = new StringBuilder("[");
        text.AppendJoin(", ", values.Select(v => $"\"{v}\""));
        return text.Append(']').ToString();
    }
}
