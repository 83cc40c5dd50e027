namespace NasPacs.Abstractions.Indexing;

/// <summary>Reads an index database: search, series details, files, errors, runs and the JSON export. Thread-safe.</summary>
public interface IIndexQuery
{
    /// <summary>Finds series by full text (patient name and ID, accession number, study and series descriptions) and filters.</summary>
    /// <remarks>
    /// An implementation may count matches only up to a limit, so that a broad search costs no more than its page: then
    /// <see cref="Page{T}.Total"/> is the limit plus one, meaning "more than the limit" (NasPacs.Indexing counts to 1,000: <c>SearchLimits.CountLimit</c>).
    /// </remarks>
    Task<Page<SeriesSummary>> SearchSeriesAsync(SeriesSearch search, CancellationToken cancellationToken = default);

    /// <summary>One series, or <see langword="null"/> when the key is unknown.</summary>
    Task<SeriesSummary?> GetSeriesAsync(string seriesKey, CancellationToken cancellationToken = default);

    /// <summary>The files of a series, ordered by instance number then path.</summary>
    Task<Page<IndexedFile>> GetSeriesFilesAsync(string seriesKey, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Error reports, newest first, optionally of one class or one run.</summary>
    Task<Page<StoredError>> GetErrorsAsync(ErrorSearch search, CancellationToken cancellationToken = default);

    /// <summary>Runs, newest first.</summary>
    Task<Page<IndexRunInfo>> GetRunsAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Totals of the index as it is now.</summary>
    Task<IndexTotals> GetTotalsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams the design's index JSON (an array of series objects with <c>files</c> and <c>file_count</c>) to
    /// <paramref name="destination"/> without holding the index in memory.
    /// </summary>
    Task ExportAsync(Stream destination, ExportOptions? options = null, CancellationToken cancellationToken = default);
}
