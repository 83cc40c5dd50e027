using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Query;

/// <summary>Bounds of <see cref="IIndexQuery.SearchSeriesAsync"/> as NasPacs.Indexing implements it.</summary>
public static class SearchLimits
{
    /// <summary>
    /// Matches are counted up to this many, 10,000: counting every one of 100,000 matching series costs more than the
    /// page itself. When more match, <see cref="Page{T}.Total"/> is <c>CountLimit + 1</c>, meaning "more than 10,000".
    /// </summary>
    public const int CountLimit = 10_000;

    /// <summary>Whether <paramref name="total"/> (a search's <see cref="Page{T}.Total"/>) stands for "more than <see cref="CountLimit"/>".</summary>
    /// <param name="total">The total a search reported.</param>
    /// <returns><see langword="true"/> when the count stopped at the limit.</returns>
    public static bool IsCapped(long total) => total > CountLimit;
}
