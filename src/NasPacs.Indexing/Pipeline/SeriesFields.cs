using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;

namespace NasPacs.Indexing.Pipeline;

/// <summary>Reads the series-level values of one file, and the key that groups it, into a <see cref="SeriesSummary"/> without counts.</summary>
internal static class SeriesFields
{
    /// <summary>The series key of a header that was read <see cref="DicomHeaderStatus.Ok"/>: all a file needs when its series is known.</summary>
    public static string Key(DicomHeader header, string folder)
    {
        var seriesUid = Value(header, DicomTags.SeriesInstanceUid);
        return seriesUid is not null
            ? SeriesKeys.Create(seriesUid, null, null, null, folder)
            : SeriesKeys.Create(null, Value(header, DicomTags.StudyInstanceUid), Value(header, DicomTags.SeriesNumber), Modality(header), folder);
    }

    /// <summary>Reads the fields of a header that was read <see cref="DicomHeaderStatus.Ok"/>, for a series met for the first time.</summary>
    public static SeriesSummary FromHeader(DicomHeader header, string key)
    {
        var seriesUid = Value(header, DicomTags.SeriesInstanceUid);
        var studyUid = Value(header, DicomTags.StudyInstanceUid);
        var seriesNumber = Value(header, DicomTags.SeriesNumber);
        var modality = Modality(header);
        return new SeriesSummary
        {
            SeriesKey = key,
            PatientName = Value(header, DicomTags.PatientName),
            PatientId = Value(header, DicomTags.PatientId),
            PatientBirthDate = Value(header, DicomTags.PatientBirthDate),
            PatientSex = Value(header, DicomTags.PatientSex),
            StudyInstanceUid = studyUid,
            StudyDate = Value(header, DicomTags.StudyDate),
            StudyTime = Value(header, DicomTags.StudyTime),
            StudyDescription = Value(header, DicomTags.StudyDescription),
            AccessionNumber = Value(header, DicomTags.AccessionNumber),
            StudyId = Value(header, DicomTags.StudyId),
            InstitutionName = Value(header, DicomTags.InstitutionName),
            ReferringPhysicianName = Value(header, DicomTags.ReferringPhysicianName),
            SeriesInstanceUid = seriesUid,
            SeriesNumber = seriesNumber,
            SeriesDate = Value(header, DicomTags.SeriesDate),
            SeriesDescription = Value(header, DicomTags.SeriesDescription),
            Modality = modality,
            BodyPartExamined = Value(header, DicomTags.BodyPartExamined),
        };
    }

    private static string? Modality(DicomHeader header) => Value(header, DicomTags.Modality)?.ToUpperInvariant();

    /// <summary>An element's value with padding gone, or <see langword="null"/> when absent or empty.</summary>
    public static string? Value(DicomHeader header, DicomTag tag)
    {
        var value = header.GetString(tag)?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
