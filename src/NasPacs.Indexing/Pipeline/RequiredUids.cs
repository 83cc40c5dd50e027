using System.Globalization;
using NasPacs.Abstractions.Errors;
using NasPacs.Dicom;

namespace NasPacs.Indexing.Pipeline;

/// <summary>
/// Judges a header read <see cref="DicomHeaderStatus.Ok"/>. Study, Series and SOP Instance UID are Type 1 in every composite
/// IOD (PS3.3 C.7.2.1 General Study, C.7.3.1 General Series, C.12.1 SOP Common), so a header without one is incomplete:
/// most often a copy cut short at an element boundary, which parses without error. Such a file stays indexed and is reported.
/// </summary>
internal static class RequiredUids
{
    private const string DeflatedUid = "1.2.840.10008.1.2.1.99";

    private const string Suggestion =
        "Compare its size with the original on the modality or the PACS and copy it again if it differs; it stays searchable meanwhile. " +
        "If it is not an image (a test file, say), exclude it with a glob.";

    private static readonly (DicomTag Tag, string Name)[] Required =
    [
        (DicomTags.StudyInstanceUid, "Study Instance UID"),
        (DicomTags.SeriesInstanceUid, "Series Instance UID"),
        (DicomTags.SopInstanceUid, "SOP Instance UID"),
    ];

    /// <summary>Whether the three UIDs have a value: what every file pays (three lookups, no allocation).</summary>
    public static bool ArePresent(DicomHeaderValues header) =>
        HasValue(header, DicomTags.StudyInstanceUid) && HasValue(header, DicomTags.SeriesInstanceUid) && HasValue(header, DicomTags.SopInstanceUid);

    /// <summary>
    /// The report for a header that lacks a required UID, or <see langword="null"/> when none is missing (a non-patient
    /// object needs only its SOP Instance UID). Names the attributes, never their values or any patient data.
    /// </summary>
    public static ErrorReport? MissingReport(DicomHeaderValues header, long fileSize, string path, DateTimeOffset now)
    {
        var nonPatient = IsNonPatientObject(header);
        var missing = Required
            .Where(r => !HasValue(header, r.Tag) && (r.Tag == DicomTags.SopInstanceUid || !nonPatient))
            .Select(r => $"{r.Name} {r.Tag}")
            .ToArray();
        if (missing.Length == 0)
        {
            return null;
        }

        var names = missing.Length == 1 ? missing[0] : $"{string.Join(", ", missing[..^1])} and {missing[^1]}";
        var message = EndsWithoutPixelData(header, fileSize)
            ? string.Create(CultureInfo.InvariantCulture,
                $"The header has no {names}, and the file stops after {fileSize} bytes, at the end of an element, with no Pixel Data {DicomTags.PixelData}: it may have been cut short.")
            : $"The header has no {names}: the file may have been cut short.";
        return new ErrorReport(ErrorCategory.Dicom, ErrorCodes.IncompleteHeader, message, Suggestion, path, now);
    }

    /// <summary>
    /// Whether the dataset ran to the last byte of the file: the parse stops at the first element past the requested tags
    /// or at Pixel Data, so having examined every byte means the file has neither. Not said of a deflated dataset, whose
    /// <see cref="DicomHeaderValues.BytesExamined"/> counts compressed bytes.
    /// </summary>
    private static bool EndsWithoutPixelData(DicomHeaderValues header, long fileSize) =>
        header.PixelDataOffset is null && fileSize > 0 && header.BytesExamined == fileSize && header.TransferSyntaxUid != DeflatedUid;

    /// <summary>
    /// The Non-Patient Object Storage SOP classes (PS3.4 Annex GG): their IODs have SOP Common but no General Study or
    /// General Series module (a color palette of pydicom's corpus, for one).
    /// </summary>
    private static bool IsNonPatientObject(DicomHeaderValues header)
    {
        Span<char> buffer = stackalloc char[64];
        return header.TryGetString(DicomTags.SopClassUid, buffer, out var written) && buffer[..written].Trim().Trim('\0') switch
        {
            "1.2.840.10008.5.1.4.38.1" // Hanging Protocol
                or "1.2.840.10008.5.1.4.39.1" // Color Palette
                or "1.2.840.10008.5.1.4.43.1" // Generic Implant Template
                or "1.2.840.10008.5.1.4.44.1" // Implant Assembly Template
                or "1.2.840.10008.5.1.4.45.1" // Implant Template Group
                or "1.2.840.10008.5.1.4.1.1.200.1" // CT Defined Procedure Protocol
                or "1.2.840.10008.5.1.4.1.1.200.3" // Protocol Approval
                or "1.2.840.10008.5.1.4.1.1.200.7" => true, // XA Defined Procedure Protocol
            _ => false,
        };
    }

    /// <summary>Whether the element is there with something other than padding (an empty Type 1 value is as bad as none).</summary>
    private static bool HasValue(DicomHeaderValues header, DicomTag tag) =>
        header.TryGetRawValue(tag, out var value) && value.ContainsAnyExcept((byte)' ', (byte)0);
}
