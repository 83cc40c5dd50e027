using NasPacs.Abstractions.Indexing;

namespace NasPacs.Api.Search;

/// <summary>One row of the search table.</summary>
internal sealed record SeriesRow(
    string Root,
    string SeriesKey,
    string? PatientName,
    string? PatientId,
    string? StudyDate,
    string? StudyTime,
    string? Modality,
    string? StudyDescription,
    string? SeriesDescription,
    string? SeriesNumber,
    string? AccessionNumber,
    long FileCount,
    DateTimeOffset LastSeen)
{
    public static SeriesRow From(string root, SeriesSummary s) => new(
        root, s.SeriesKey, s.PatientName, s.PatientId, s.StudyDate, s.StudyTime, s.Modality, s.StudyDescription, s.SeriesDescription,
        s.SeriesNumber, s.AccessionNumber, s.FileCount, s.LastSeen);
}

/// <summary>
/// A page of search results. Matches are counted up to 1,000 per root (<c>SearchLimits.CountLimit</c>); when more match,
/// <paramref name="TotalCapped"/> is true and <paramref name="Total"/> is the count so far (1,000 for one root): show "1,000+".
/// </summary>
internal sealed record SearchPage(IReadOnlyList<SeriesRow> Items, long Total, int Page, int PageSize, string Sort, bool TotalCapped);

/// <summary>A page of a series' files.</summary>
internal sealed record FilePage(IReadOnlyList<IndexedFile> Items, long Total, int Page, int PageSize);

/// <summary>A series with a page of its files.</summary>
internal sealed record SeriesDetails(string Root, SeriesSummary Series, FilePage Files);
