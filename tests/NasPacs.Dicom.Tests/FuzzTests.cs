using System.Buffers.Binary;
using System.Diagnostics;
using NasPacs.Testing.Dicom;
using NasPacs.Testing.Oracle;

namespace NasPacs.Dicom.Tests;

/// <summary>
/// Thousands of seeded random mutations (bit flips, truncations, corrupted length fields, inserted and repeated bytes) of real
/// and generated files: no exception escapes, each input finishes within a time bound, and allocation per input is bounded.
/// The seed makes every failure reproducible; the coverage-guided harness is tests/NasPacs.Dicom.Fuzz.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 6000;
    private const int Seed = 20260228;
    private static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(2);
    private const long AllocationBound = 24L * 1024 * 1024;

    [Fact]
    public async Task Read_SeededMutationsOfCorpus_NeverThrowHangOrOverAllocate()
    {
        var seeds = Seeds();
        Assert.True(seeds.Count >= 10, $"Only {seeds.Count} seed files.");
        var random = new Random(Seed);
        var readers = new[]
        {
            new DicomHeaderReader(),
            new DicomHeaderReader(new DicomHeaderReaderOptions { Tags = [.. DicomTags.IndexTags, DicomTags.PixelData], InitialReadSize = 256, MaxHeaderSize = 1024 * 1024 }),
        };
        var failures = new List<string>();
        var statuses = new Dictionary<DicomHeaderStatus, int>();
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], random);
            var reader = readers[i % 2];
            var watch = Stopwatch.StartNew();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var header = i % 10 == 1 ? await reader.ReadAsync(InMemoryPrefix.Of(input)) : reader.Read(input);
                statuses[header.Status] = statuses.GetValueOrDefault(header.Status) + 1;
                if (header.Status != DicomHeaderStatus.Ok && header.Error is null)
                {
                    failures.Add($"#{i}: {header.Status} without an error");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"#{i} (seed {Seed}): {ex.GetType().Name}: {ex.Message}");
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (watch.Elapsed > TimeBound)
            {
                failures.Add($"#{i}: took {watch.Elapsed.TotalMilliseconds:F0} ms for {input.Length} bytes");
            }

            if (allocated > AllocationBound + 4L * input.Length)
            {
                failures.Add($"#{i}: allocated {allocated} bytes for {input.Length} bytes");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(30)));
        // The mutations must reach every outcome, or they test little.
        Assert.All(Enum.GetValues<DicomHeaderStatus>(), s => Assert.True(statuses.GetValueOrDefault(s) > 0, $"No input gave {s}."));
    }

    /// <summary>Real corpus files (when present) and generated ones covering every syntax, sequences and UN.</summary>
    internal static List<byte[]> Seeds()
    {
        var seeds = new List<byte[]>();
        foreach (var name in new[] { "CT_small.dcm", "MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm",
                     "JPEG2000.dcm", "UN_sequence.dcm", "nested_priv_SQ.dcm", "rtplan.dcm", "rtstruct.dcm", "ExplVR_BigEndNoMeta.dcm", "SC_rgb_rle.dcm" })
        {
            var path = Path.Combine(PydicomOracle.CorpusRoot, "test_files", name);
            if (File.Exists(path))
            {
                seeds.Add(File.ReadAllBytes(path));
            }
        }

        foreach (var name in new[] { "chrH31.dcm", "chrJapMulti.dcm", "chrKoreanMulti.dcm", "chrX2.dcm" })
        {
            var path = Path.Combine(PydicomOracle.CorpusRoot, "charset_files", name);
            if (File.Exists(path))
            {
                seeds.Add(File.ReadAllBytes(path));
            }
        }

        Assert.False(ReferenceTools.IsCI && seeds.Count < 16, "The pydicom corpus is missing under CI.");
        var item = new DicomFileBuilder().AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2.840");
        foreach (var syntax in new[] { DicomFileBuilder.ImplicitVRLittleEndian, DicomFileBuilder.ExplicitVRLittleEndian, DicomFileBuilder.ExplicitVRBigEndian, DicomFileBuilder.DeflatedExplicitVRLittleEndian, DicomFileBuilder.JpegBaseline })
        {
            seeds.Add(new DicomFileBuilder(syntax)
                .AddString(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100")
                .AddString(DicomTags.SopInstanceUid, "UI", "1.2.3.4")
                .AddSequence(new DicomTag(0x0008, 0x1115), true, true, item, new DicomFileBuilder().AddSequence(new DicomTag(0x0008, 0x1140), true, false, item))
                .AddUnSequence(new DicomTag(0x0009, 0x1010), new DicomFileBuilder(DicomFileBuilder.ImplicitVRLittleEndian).AddString(new DicomTag(0x0008, 0x1150), "UI", "1.2"))
                .AddString(DicomTags.PatientName, "PN", "Doe^Jane")
                .AddUInt16(DicomTags.Rows, 64)
                .AddEncapsulatedPixelData([1, 2, 3, 4])
                .Build());
        }

        return seeds;
    }

    internal static byte[] Mutate(byte[] seed, Random random)
    {
        // Mutations land mostly in the header, where the parser looks.
        var data = seed.ToList();
        int Offset() => random.Next(Math.Max(1, Math.Min(data.Count, random.Next(2) == 0 ? 4096 : data.Count)));
        var count = random.Next(1, 5);
        for (var m = 0; m < count && data.Count > 0; m++)
        {
            switch (random.Next(7))
            {
                case 0:
                    var at = Offset();
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[Offset()] = (byte)random.Next(256);
                    break;
                case 2:
                    var cut = random.Next(data.Count + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    break;
                case 3 or 4:
                    // A length field: 4 bytes (or 2) at an even offset set to an extreme value.
                    var where = Offset() & ~1;
                    uint[] lengths = [0xFFFF_FFFF, 0xFFFF_FFF0, 0x7FFF_FFFF, 0x8000_0000, 0, 1, (uint)random.Next()];
                    var bytes = new byte[4];
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes, lengths[random.Next(lengths.Length)]);
                    for (var k = 0; k < (random.Next(2) == 0 ? 2 : 4) && where + k < data.Count; k++)
                    {
                        data[where + k] = bytes[k];
                    }

                    break;
                case 5:
                    var insertAt = Offset();
                    data.InsertRange(insertAt, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    var from = Offset();
                    var length = Math.Min(random.Next(1, 64), data.Count - from);
                    data.InsertRange(Offset(), data.GetRange(from, length));
                    break;
            }
        }

        return [.. data];
    }
}
