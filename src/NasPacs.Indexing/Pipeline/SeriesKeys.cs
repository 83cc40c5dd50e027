namespace NasPacs.Indexing.Pipeline;

/// <summary>
/// The series grouping key: the Series Instance UID; without it (Study Instance UID, Series Number, Modality); without a
/// study UID either, the folder. Only DICOM values and the relative folder go in, so the key is the same on every run.
/// </summary>
internal static class SeriesKeys
{
    /// <summary>Prefix of a key made from the study, series number and modality.</summary>
    public const string StudyPrefix = "study:";

    /// <summary>Prefix of a key made from the folder.</summary>
    public const string FolderPrefix = "folder:";

    public static string Create(string? seriesInstanceUid, string? studyInstanceUid, string? seriesNumber, string? modality, string folder)
    {
        if (!string.IsNullOrWhiteSpace(seriesInstanceUid))
        {
            return seriesInstanceUid.Trim();
        }

        if (!string.IsNullOrWhiteSpace(studyInstanceUid))
        {
            return string.Concat(StudyPrefix, studyInstanceUid.Trim(), "|", seriesNumber?.Trim() ?? "", "|", modality?.Trim() ?? "");
        }

        return FolderPrefix + folder;
    }
}
