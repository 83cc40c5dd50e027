using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Query;

/// <summary>Bounds of <see cref="IIndexQuery.SearchSeriesAsync"/> as NasPacs.Indexing implements it.</summary>
public static class SearchLimits
{
    /// <summary>
    /// Matches are counted up to this many, 1,000: a count is a row read per match (and a table lookup per match when
    /// a filter goes with the text), about 1 µs each, so counting to 10,000 cost 5–12 ms of CPU per search on 100,000
    /// series, several times the page itself. When more match, <see cref="Page{T}.Total"/> is <c>CountLimit + 1</c>,
    /// meaning "more than 1,000" (the UI shows "1,000+").
    /// </summary>
    public const int CountLimit = 1_000;

    /// <summary>Whether <paramref name="total"/> (a search's <see cref="Page{T}.Total"/>) stands for "more than <see cref="CountLimit"/>".</summary>
    /// <param name="total">The total a search reported.</param>
    /// <returns><see langword="true"/> when the count stopped at the limit.</returns>
    public static bool IsCapped(long total) => total > CountLimit;
}
