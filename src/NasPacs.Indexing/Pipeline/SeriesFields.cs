using System.Globalization;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;

namespace NasPacs.Indexing.Pipeline;

/// <summary>
/// Reads what the index keeps of one file: the key that groups it, its instance values, and the series-level values (for a
/// series met for the first time). Values are trimmed and an empty value counts as absent.
/// </summary>
internal static class SeriesFields
{
    /// <summary>The elements a series row is made of: what a reader keeps of a file for the writer.</summary>
    public static ReadOnlySpan<DicomTag> SeriesTags => SeriesTagList;

    private static readonly DicomTag[] SeriesTagList =
    [
        DicomTags.PatientName, DicomTags.PatientId, DicomTags.PatientBirthDate, DicomTags.PatientSex, DicomTags.StudyInstanceUid,
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.StudyDescription, DicomTags.AccessionNumber, DicomTags.StudyId,
        DicomTags.InstitutionName, DicomTags.ReferringPhysicianName, DicomTags.SeriesInstanceUid, DicomTags.SeriesNumber,
        DicomTags.SeriesDate, DicomTags.SeriesDescription, DicomTags.Modality, DicomTags.BodyPartExamined,
    ];

    /// <summary>
    /// The series key of a header that was read <see cref="DicomHeaderStatus.Ok"/>; <paramref name="reuse"/> when equal to it
    /// (see <see cref="SeriesKeys.Create(ReadOnlySpan{char}, ReadOnlySpan{char}, ReadOnlySpan{char}, ReadOnlySpan{char}, string, string?)"/>).
    /// </summary>
    public static string Key(DicomHeaderValues header, string folder, string? reuse)
    {
        Span<char> series = stackalloc char[ValueBuffer];
        var seriesUid = Trimmed(header, DicomTags.SeriesInstanceUid, series);
        if (!seriesUid.IsEmpty)
        {
            return SeriesKeys.Create(seriesUid, default, default, default, folder, reuse);
        }

        Span<char> study = stackalloc char[ValueBuffer];
        Span<char> number = stackalloc char[ValueBuffer];
        Span<char> modality = stackalloc char[ValueBuffer];
        Span<char> upper = stackalloc char[ValueBuffer];
        var kind = Trimmed(header, DicomTags.Modality, modality);
        ReadOnlySpan<char> upperKind = kind.Length <= upper.Length ? upper[..kind.ToUpperInvariant(upper)] : kind.ToString().ToUpperInvariant();
        return SeriesKeys.Create(default, Trimmed(header, DicomTags.StudyInstanceUid, study), Trimmed(header, DicomTags.SeriesNumber, number),
            upperKind, folder, reuse);
    }

    /// <summary>An element's trimmed value as a string, or <see langword="null"/> when absent or empty.</summary>
    public static string? Value(DicomHeaderValues header, DicomTag tag)
    {
        Span<char> buffer = stackalloc char[ValueBuffer];
        var value = Trimmed(header, tag, buffer);
        return value.IsEmpty ? null : new string(value);
    }

    /// <summary>An element's trimmed value as an integer (Instance Number), or <see langword="null"/> when absent or not one.</summary>
    public static int? Integer(DicomHeaderValues header, DicomTag tag)
    {
        Span<char> buffer = stackalloc char[ValueBuffer];
        return int.TryParse(Trimmed(header, tag, buffer), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>Reads the series fields kept of a file, for a series met for the first time.</summary>
    public static SeriesSummary FromSnapshot(DicomValueSnapshot header, string key) => new()
    {
        SeriesKey = key,
        PatientName = Value(header, DicomTags.PatientName),
        PatientId = Value(header, DicomTags.PatientId),
        PatientBirthDate = Value(header, DicomTags.PatientBirthDate),
        PatientSex = Value(header, DicomTags.PatientSex),
        StudyInstanceUid = Value(header, DicomTags.StudyInstanceUid),
        StudyDate = Value(header, DicomTags.StudyDate),
        StudyTime = Value(header, DicomTags.StudyTime),
        StudyDescription = Value(header, DicomTags.StudyDescription),
        AccessionNumber = Value(header, DicomTags.AccessionNumber),
        StudyId = Value(header, DicomTags.StudyId),
        InstitutionName = Value(header, DicomTags.InstitutionName),
        ReferringPhysicianName = Value(header, DicomTags.ReferringPhysicianName),
        SeriesInstanceUid = Value(header, DicomTags.SeriesInstanceUid),
        SeriesNumber = Value(header, DicomTags.SeriesNumber),
        SeriesDate = Value(header, DicomTags.SeriesDate),
        SeriesDescription = Value(header, DicomTags.SeriesDescription),
        Modality = Value(header, DicomTags.Modality)?.ToUpperInvariant(),
        BodyPartExamined = Value(header, DicomTags.BodyPartExamined),
    };

    // UIDs hold 64 characters at most, LO 64, SH 16, IS 12: a longer value takes the string path.
    private const int ValueBuffer = 128;

    private static string? Value(DicomValueSnapshot header, DicomTag tag)
    {
        var value = header.GetString(tag)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The value as <see cref="DicomHeaderValues.GetString"/> gives it, trimmed, in <paramref name="buffer"/> when it fits.</summary>
    private static ReadOnlySpan<char> Trimmed(DicomHeaderValues header, DicomTag tag, Span<char> buffer) =>
        header.TryGetString(tag, buffer, out var written) ? buffer[..written].Trim() : header.GetString(tag).AsSpan().Trim();
}
