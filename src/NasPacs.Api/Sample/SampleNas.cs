using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace NasPacs.Api.Sample;

/// <summary>
/// Generates the first-start sample NAS: synthetic patients (no real person), a few CT and MR studies, and one broken
/// <c>.dcm</c> so that the errors page has something to explain. Deterministic: the same tree every time.
/// </summary>
public static class SampleNas
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";
    private const string MarkerFile = ".naspacs-sample";

    private static readonly (string Name, string Id, string BirthDate, string Sex)[] Patients =
    [
        ("SAMPLE^ALICE", "NP-SAMPLE-001", "19610314", "F"),
        ("SAMPLE^BORIS", "NP-SAMPLE-002", "19780922", "M"),
        ("SAMPLE^CLARA", "NP-SAMPLE-003", "19890607", "F"),
    ];

    private static readonly (string Modality, string Study, string[] Series)[] Studies =
    [
        ("CT", "CT CHEST W/O CONTRAST", ["AXIAL 5MM", "CORONAL MPR"]),
        ("MR", "MR BRAIN W/WO CONTRAST", ["T1 SAG", "T2 FLAIR AX"]),
    ];

    /// <summary>Files per series in the first-start sample.</summary>
    public const int InstancesPerSeries = 4;

    /// <summary>DICOM files in the first-start sample (the broken file not included).</summary>
    public static int FileCount => Patients.Length * Studies.Length * 2 * InstancesPerSeries;

    /// <summary>Writes the first-start sample into <paramref name="folder"/> unless a complete one is already there. Returns whether it wrote.</summary>
    public static bool EnsureCreated(string folder)
    {
        if (File.Exists(Path.Combine(folder, MarkerFile)))
        {
            return false;
        }

        Write(folder, Patients.Length, Studies.Length, 2, InstancesPerSeries);
        return true;
    }

    /// <summary>
    /// Writes a synthetic tree of any size (benchmarks): patients × studies × series × instances files. The first three
    /// patients are the sample's; the others are <c>SYNTH^Pnnnnnn</c>. Studies alternate CT and MR, and a synthetic
    /// patient's first study is MR every other patient, so that a tree of one study per patient holds both (a corpus of CT
    /// only made every MR search of the benchmark mix a search for nothing).
    /// </summary>
    public static void Write(string folder, int patients, int studiesPerPatient, int seriesPerStudy, int instancesPerSeries)
    {
        Directory.CreateDirectory(folder);
        Parallel.For(0, patients, p => WritePatient(folder, p, studiesPerPatient, seriesPerStudy, instancesPerSeries));
        var unsorted = Path.Combine(folder, "UNSORTED");
        Directory.CreateDirectory(unsorted);
        File.WriteAllText(Path.Combine(unsorted, "broken.dcm"), "This file has a DICOM extension but is a text note, not DICOM.\n");
        File.WriteAllText(Path.Combine(folder, MarkerFile), "Synthetic sample written by NasPacs. No real patient data.\n");
    }

    private static void WritePatient(string folder, int p, int studiesPerPatient, int seriesPerStudy, int instancesPerSeries)
    {
        var patient = p < Patients.Length
            ? Patients[p]
            : (string.Create(CultureInfo.InvariantCulture, $"SYNTH^P{p:000000}"), string.Create(CultureInfo.InvariantCulture, $"NP-{p:000000}"), "19700101", p % 2 == 0 ? "F" : "M");
        for (var s = 0; s < studiesPerPatient; s++)
        {
            var study = Studies[(p < Patients.Length ? s : p + s) % Studies.Length];
            var studyUid = Uid($"study/{p}/{s}");
            var studyDate = new DateOnly(2024, 1, 8).AddDays(((p * 41) + (s * 97)) % 3650).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var accession = string.Create(CultureInfo.InvariantCulture, $"ACC{p + 1:00}{s + 1:00}");
            for (var r = 0; r < seriesPerStudy; r++)
            {
                var seriesUid = Uid($"series/{p}/{s}/{r}");
                var seriesDescription = r < study.Series.Length ? study.Series[r] : string.Create(CultureInfo.InvariantCulture, $"{study.Series[r % study.Series.Length]} {r + 1}");
                var seriesFolder = Path.Combine(folder, patient.Item2, $"{studyDate}_{study.Modality}", $"S{r + 1:00}");
                Directory.CreateDirectory(seriesFolder);
                for (var i = 1; i <= instancesPerSeries; i++)
                {
                    var sopClass = study.Modality == "CT" ? CtImageStorage : MrImageStorage;
                    var sopUid = Uid($"sop/{p}/{s}/{r}/{i}");
                    var writer = new Part10Writer()
                        .Text(0x0008, 0x0005, "CS", "ISO_IR 100")
                        .Text(0x0008, 0x0016, "UI", sopClass)
                        .Text(0x0008, 0x0018, "UI", sopUid)
                        .Text(0x0008, 0x0020, "DA", studyDate)
                        .Text(0x0008, 0x0021, "DA", studyDate)
                        .Text(0x0008, 0x0030, "TM", "093000")
                        .Text(0x0008, 0x0050, "SH", accession)
                        .Text(0x0008, 0x0060, "CS", study.Modality)
                        .Text(0x0008, 0x0080, "LO", "NASPACS SAMPLE HOSPITAL")
                        .Text(0x0008, 0x1030, "LO", study.Study)
                        .Text(0x0008, 0x103E, "LO", seriesDescription)
                        .Text(0x0010, 0x0010, "PN", patient.Item1)
                        .Text(0x0010, 0x0020, "LO", patient.Item2)
                        .Text(0x0010, 0x0030, "DA", patient.Item3)
                        .Text(0x0010, 0x0040, "CS", patient.Item4)
                        .Text(0x0020, 0x000D, "UI", studyUid)
                        .Text(0x0020, 0x000E, "UI", seriesUid)
                        .Text(0x0020, 0x0010, "SH", (s + 1).ToString(CultureInfo.InvariantCulture))
                        .Text(0x0020, 0x0011, "IS", (r + 1).ToString(CultureInfo.InvariantCulture))
                        .Text(0x0020, 0x0013, "IS", i.ToString(CultureInfo.InvariantCulture))
                        .UnsignedShort(0x0028, 0x0002, 1)
                        .Text(0x0028, 0x0004, "CS", "MONOCHROME2")
                        .UnsignedShort(0x0028, 0x0010, 16)
                        .UnsignedShort(0x0028, 0x0011, 16)
                        .UnsignedShort(0x0028, 0x0100, 16)
                        .UnsignedShort(0x0028, 0x0101, 12)
                        .UnsignedShort(0x0028, 0x0102, 11)
                        .UnsignedShort(0x0028, 0x0103, 0)
                        .Add(0x7FE0, 0x0010, "OW", Pixels(i));

                    // Half the files carry no extension, as many archives name files by UID.
                    var name = i % 2 == 0 ? $"IM{i:0000}.dcm" : $"IM{i:0000}";
                    File.WriteAllBytes(Path.Combine(seriesFolder, name), writer.ToFile(sopClass, sopUid));
                }
            }
        }
    }

    /// <summary>A 16×16 gradient, 12 bits stored.</summary>
    private static byte[] Pixels(int seed)
    {
        var pixels = new byte[16 * 16 * 2];
        for (var k = 0; k < 16 * 16; k++)
        {
            var value = (ushort)(((k % 16) + (k / 16) + seed) * 64 % 4096);
            pixels[2 * k] = (byte)value;
            pixels[(2 * k) + 1] = (byte)(value >> 8);
        }

        return pixels;
    }

    /// <summary>A UID under the <c>2.25</c> root (PS3.5 §B.2): a stable 128-bit number from the name.</summary>
    private static string Uid(string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("naspacs-sample/" + name));
        var value = new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
