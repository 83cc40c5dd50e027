using System.Net.Http.Json;
using System.Text.Json;
using NasPacs.Testing.Oracle;
using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>The client-computed IDs equal the ones Orthanc gives, over Debian's pydicom corpus and a file without Patient ID.</summary>
public sealed class PredictedIdTests(SharedOrthanc orthanc) : IClassFixture<SharedOrthanc>
{
    /// <summary>
    /// Files whose Patient ID and UIDs are encoded as UN with padding: Orthanc 1.10.1 hashes them untrimmed
    /// (<c>"id11111 "</c>), so no prediction from the decoded value can match. The bridge then falls back to the IDs
    /// Orthanc returns (see SeriesPusher); docs/orthanc.md records the limitation.
    /// </summary>
    private static readonly HashSet<string> UnEncodedIds = ["rtdose_rle.dcm", "rtdose_rle_1frame.dcm"];

    private static readonly string[] Keywords = ["PatientID", "StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"];

    [OrthancFact]
    public async Task OrthancIds_PydicomCorpus_EqualOrthancsIds()
    {
        ReferenceTools.Require();
        using var extra = new Testing.TempFolder("naspacs-orthanc-ids");
        var noPatientId = Path.Combine(extra.Path, "no-patient-id.dcm");
        await File.WriteAllBytesAsync(noPatientId, TestNas.Instance(null, "1.2.826.0.1.3680043.10.1134.9.1", "1.2.826.0.1.3680043.10.1134.9.2", "1.2.826.0.1.3680043.10.1134.9.3", 1));
        var files = ReferenceTools.CorpusFilesOrFailUnderCI().Append(noPatientId).ToList();
        var oracle = PydicomOracle.Run(files, Keywords);
        using var client = orthanc.Server.CreateClient();
        client.Timeout = Timeout.InfiniteTimeSpan;
        int compared = 0, withoutPatientId = 0;
        var mismatches = new List<string>();

        foreach (var file in files)
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            // Orthanc 1.10.1 never answers for test_files/SC_rgb_jpeg.dcm (seen here): such a file is skipped.
            using var slow = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsync("instances", content, slow.Token);
            }
            catch (TaskCanceledException)
            {
                continue;
            }

            using var _ = response;
            if (!response.IsSuccessStatusCode || !oracle.TryGetValue(file, out var read) || !read.Read)
            {
                continue; // Not DICOM to Orthanc (400) or to pydicom: nothing to compare.
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (answer.ValueKind != JsonValueKind.Object)
            {
                continue; // A DICOMDIR-like answer; not an instance.
            }

            string? Tag(string keyword) => read.Tags.TryGetValue(keyword, out var v) && v.Length > 0 ? string.Join('\\', v) : null;
            var patient = Tag("PatientID");
            var (study, series, sop) = (Tag("StudyInstanceUID"), Tag("SeriesInstanceUID"), Tag("SOPInstanceUID"));
            if (study is null || series is null || sop is null)
            {
                continue;
            }

            var expected = string.Join(' ', answer.GetProperty("ParentPatient").GetString(), answer.GetProperty("ParentStudy").GetString(),
                answer.GetProperty("ParentSeries").GetString(), answer.GetProperty("ID").GetString());
            var predicted = string.Join(' ', OrthancIds.Patient(patient), OrthancIds.Study(patient, study),
                OrthancIds.Series(patient, study, series), OrthancIds.Instance(patient, study, series, sop));
            if (expected != predicted && !UnEncodedIds.Contains(Path.GetFileName(file)))
            {
                mismatches.Add($"{Path.GetFileName(file)} (PatientID '{patient}'): Orthanc {expected}, predicted {predicted}");
            }

            compared++;
            withoutPatientId += string.IsNullOrEmpty(patient) ? 1 : 0;
        }

        Assert.True(mismatches.Count == 0, string.Join(Environment.NewLine, mismatches));
        Assert.True(compared >= 20, $"Only {compared} corpus files were compared.");
        Assert.True(withoutPatientId >= 1, "No file without Patient ID was compared.");
    }

    [Fact]
    public void OrthancIds_Format_IsFiveGroupsOfEightLowerHex()
        => Assert.Matches("^[0-9a-f]{8}(-[0-9a-f]{8}){4}$", OrthancIds.Instance("P", "1.2", "1.2.3", "1.2.3.4"));

    [Fact]
    public void OrthancIds_Padding_IsTrimmed()
        => Assert.Equal(OrthancIds.Series("P1", "1.2", "1.2.3"), OrthancIds.Series("P1 ", "1.2\0", " 1.2.3"));
}
