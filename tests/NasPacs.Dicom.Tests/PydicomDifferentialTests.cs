using NasPacs.Testing.Oracle;
using Xunit.Abstractions;

namespace NasPacs.Dicom.Tests;

/// <summary>
/// The reader against pydicom over every file of Debian's pydicom corpus. Expected values come from pydicom at test time.
/// pydicom is lenient (force=True reads anything; a value cut short by the end of the file is kept): where it reads a file
/// and we refuse it, DCMTK's dcmdump must refuse it too, which is the proof that the file is broken.
/// </summary>
public class PydicomDifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] Keywords =
        [.. DicomTags.IndexTags.Select(t => DicomTags.TryGetKeyword(t, out var k) ? k : throw new InvalidOperationException()), "TransferSyntaxUID"];

    // The index reader (stops after Columns) and the reader the CLI uses (goes on to Pixel Data to locate it).
    private static readonly (string Name, DicomHeaderReader Reader)[] Readers =
    [
        ("index tags", new DicomHeaderReader()),
        ("index tags + PixelData", new DicomHeaderReader(new DicomHeaderReaderOptions { Tags = [.. DicomTags.IndexTags, DicomTags.PixelData] })),
    ];

    [ReferenceToolsFact]
    public void ReadFile_EveryPydicomCorpusFile_MatchesPydicom()
    {
        ReferenceTools.Require();
        var files = PydicomOracle.CorpusFiles();
        Assert.True(files.Count > 150, $"Expected the pydicom corpus under {PydicomOracle.CorpusRoot}, found {files.Count} files.");
        var expected = PydicomOracle.Run(files, Keywords);
        var mismatches = new List<string>();
        var compared = 0;
        var refusedWithDcmtk = 0;

        // The reusable result, one for every file and both readers: nothing of one file may show in the next.
        var values = new DicomHeaderValues();
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            var oracle = expected[file];
            var relative = Path.GetRelativePath(PydicomOracle.CorpusRoot, file);
            foreach (var (name, reader) in Readers)
            {
                var header = reader.ReadFile(file);
                var where = $"{relative} ({name})";
                reader.TryRead(bytes, isEndOfFile: true, values, out _);
                if (values.Status != header.Status)
                {
                    mismatches.Add($"{where}: DicomHeaderValues says {values.Status}, DicomHeader {header.Status}.");
                }
                if (!oracle.Read)
                {
                    if (header.Status == DicomHeaderStatus.Ok)
                    {
                        mismatches.Add($"{where}: pydicom rejects it ({oracle.Error}) but we read it.");
                    }

                    continue;
                }

                if (header.Status != DicomHeaderStatus.Ok)
                {
                    if (Dcmdump.Reads(file, out _))
                    {
                        mismatches.Add($"{where}: pydicom (forced={oracle.Forced}) and dcmdump read it but we say {header.Status}: {header.Error}");
                    }
                    else
                    {
                        refusedWithDcmtk++;
                        output.WriteLine($"{where}: {header.Status} ({header.Error?.Message}); pydicom reads it (forced={oracle.Forced}), dcmdump refuses it too.");
                    }

                    continue;
                }

                compared++;
                foreach (var tag in DicomTags.IndexTags)
                {
                    DicomTags.TryGetKeyword(tag, out var keyword);
                    if (oracle.TagErrors.TryGetValue(keyword, out var tagError))
                    {
                        output.WriteLine($"{where} {keyword}: pydicom cannot decode it ({tagError}); we return {PydicomComparison.Show(header.GetValues(tag))}.");
                    }
                }

                mismatches.AddRange(PydicomComparison.Differences(where, header, oracle));
                mismatches.AddRange(PydicomComparison.Differences(where + " [DicomHeaderValues]", values, oracle));
            }
        }

        output.WriteLine($"{files.Count} files; {compared} reads compared value by value; {refusedWithDcmtk} refusals confirmed by dcmdump.");
        Assert.True(compared > 300, $"Only {compared} reads were compared.");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches with pydicom:\n{string.Join('\n', mismatches)}");
    }

    [ReferenceToolsFact]
    public void ReadFile_CorpusFilesWithPixelData_LocatesItWherePydicomDoes()
    {
        ReferenceTools.Require();
        var files = PydicomOracle.CorpusFiles();
        var expected = PydicomOracle.Run(files, Keywords).Values.Where(r => r.PixelDataOffset is not null).ToList();
        Assert.True(expected.Count > 50, $"Only {expected.Count} corpus files have pixel data located by pydicom.");
        var reader = Readers[1].Reader;
        var wrong = expected
            .Select(r => (r.Path, Expected: r.PixelDataOffset, Actual: reader.ReadFile(r.Path).PixelDataOffset))
            .Where(r => r.Expected != r.Actual)
            .Select(r => $"{r.Path}: expected {r.Expected}, actual {r.Actual?.ToString() ?? "none"}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }
}
