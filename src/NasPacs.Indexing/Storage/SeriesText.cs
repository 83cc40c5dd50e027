namespace NasPacs.Indexing.Storage;

/// <summary>
/// The full-text rows of series. Since schema V004 the writer adds the rows of the series it inserted, once per write
/// transaction; the triggers of V001 still remove and replace rows when a series is deleted or its text changes.
/// </summary>
internal static class SeriesText
{
    /// <summary>Adds the rows of the series with ids from <c>$first</c> to <c>$last</c>, which must have none yet.</summary>
    public const string Insert =
        "INSERT INTO series_fts (rowid, patient_name, patient_id, accession_number, study_description, series_description) " +
        "SELECT id, patient_name, patient_id, accession_number, study_description, series_description FROM series WHERE id BETWEEN $first AND $last";
}
