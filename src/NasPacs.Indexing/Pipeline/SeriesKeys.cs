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

    public static string Create(string? seriesInstanceUid, string? studyInstanceUid, string? seriesNumber, string? modality, string folder) =>
        Create(seriesInstanceUid.AsSpan(), studyInstanceUid.AsSpan(), seriesNumber.AsSpan(), modality.AsSpan(), folder, reuse: null);

    /// <summary>
    /// The key from values as spans (each trimmed here). Returns <paramref name="reuse"/> itself when the key equals it: the
    /// files of a folder mostly share their series, so a reader builds the key string once per series, not once per file.
    /// </summary>
    public static string Create(ReadOnlySpan<char> seriesInstanceUid, ReadOnlySpan<char> studyInstanceUid, ReadOnlySpan<char> seriesNumber,
        ReadOnlySpan<char> modality, string folder, string? reuse)
    {
        var series = seriesInstanceUid.Trim();
        if (!series.IsEmpty)
        {
            return reuse is not null && series.SequenceEqual(reuse) ? reuse : new string(series);
        }

        var study = studyInstanceUid.Trim();
        if (!study.IsEmpty)
        {
            var number = seriesNumber.Trim();
            var kind = modality.Trim();
            var length = StudyPrefix.Length + study.Length + 1 + number.Length + 1 + kind.Length;
            Span<char> key = length <= 256 ? stackalloc char[length] : new char[length];
            var at = Append(key, 0, StudyPrefix);
            at = Append(key, at, study);
            at = Append(key, at, "|");
            at = Append(key, at, number);
            at = Append(key, at, "|");
            Append(key, at, kind);

            return reuse is not null && key.SequenceEqual(reuse) ? reuse : new string(key);
        }

        return reuse is not null && reuse.StartsWith(FolderPrefix, StringComparison.Ordinal) && reuse.AsSpan(FolderPrefix.Length).SequenceEqual(folder)
            ? reuse
            : FolderPrefix + folder;
    }

    private static int Append(Span<char> destination, int at, ReadOnlySpan<char> part)
    {
        part.CopyTo(destination[at..]);
        return at + part.Length;
    }
}
