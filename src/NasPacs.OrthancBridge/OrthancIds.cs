using System.Security.Cryptography;
using System.Text;

namespace NasPacs.OrthancBridge;

/// <summary>
/// Orthanc's resource identifiers, computed as Orthanc computes them: SHA-1 of the UTF-8 parts joined by <c>|</c>, in
/// lower-case hex cut into five groups of eight joined by <c>-</c>. Values are trimmed of DICOM padding; a missing
/// Patient ID counts as empty. So the bridge knows where a series lives in Orthanc before sending a byte.
/// </summary>
public static class OrthancIds
{
    /// <summary>The patient's ID: <c>[PatientID]</c>.</summary>
    public static string Patient(string? patientId) => Hash(patientId);

    /// <summary>The study's ID: <c>[PatientID, StudyInstanceUID]</c>.</summary>
    public static string Study(string? patientId, string studyInstanceUid) => Hash(patientId, studyInstanceUid);

    /// <summary>The series' ID: <c>[PatientID, StudyInstanceUID, SeriesInstanceUID]</c>.</summary>
    public static string Series(string? patientId, string studyInstanceUid, string seriesInstanceUid)
        => Hash(patientId, studyInstanceUid, seriesInstanceUid);

    /// <summary>The instance's ID: <c>[PatientID, StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID]</c>.</summary>
    public static string Instance(string? patientId, string studyInstanceUid, string seriesInstanceUid, string sopInstanceUid)
        => Hash(patientId, studyInstanceUid, seriesInstanceUid, sopInstanceUid);

    private static string Hash(params string?[] parts)
    {
        var joined = string.Join('|', parts.Select(p => (p ?? "").Trim(' ', '\0', '\t', '\r', '\n')));
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // Orthanc's identifiers are defined as SHA-1; this is an identifier, not security.
        SHA1.HashData(Encoding.UTF8.GetBytes(joined), digest);
#pragma warning restore CA5350
        var hex = Convert.ToHexStringLower(digest);
        return string.Create(44, hex, static (span, h) =>
        {
            for (int group = 0, o = 0; group < 5; group++)
            {
                if (group > 0)
                {
                    span[o++] = '-';
                }

                h.AsSpan(group * 8, 8).CopyTo(span[o..]);
                o += 8;
            }
        });
    }
}
