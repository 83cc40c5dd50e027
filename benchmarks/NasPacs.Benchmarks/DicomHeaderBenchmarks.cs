using BenchmarkDotNet.Attributes;
using NasPacs.Dicom;

namespace NasPacs.Benchmarks;

/// <summary>
/// Parse time and allocation of one header, from memory, with the index tags (issue #2 target: ≤ 2 µs and ≤ 1 KB allocated
/// per CT header beyond the returned strings). <see cref="ValueStringsOnly"/> allocates just strings of the same lengths as
/// the returned values, so Allocated(Read) − Allocated(ValueStringsOnly) is the reader's own overhead.
/// </summary>
[MemoryDiagnoser]
public class DicomHeaderBenchmarks
{
    private const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private readonly DicomHeaderReader _reader = new();
    private byte[] _file = [];
    private int[] _valueLengths = [];

    [Params("CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm")]
    public string File { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _file = System.IO.File.ReadAllBytes(Path.Combine(Corpus, File));
        var header = _reader.Read(_file);
        if (header.Status != DicomHeaderStatus.Ok)
        {
            throw new InvalidOperationException($"{File}: {header.Status} {header.Error}");
        }

        _valueLengths = [.. header.Elements.Values.SelectMany(v => v).Select(v => v.Length)];
    }

    [Benchmark]
    public DicomHeader Read() => _reader.Read(_file);

    [Benchmark]
    public int ValueStringsOnly()
    {
        var total = 0;
        foreach (var length in _valueLengths)
        {
            total += new string(' ', length).Length;
        }

        return total;
    }
}
