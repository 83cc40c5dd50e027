namespace NasPacs.Api.Search;

/// <summary>
/// Runs at most one search per core at a time; the others wait their turn in arrival order. A search is CPU work in
/// SQLite from start to end: with 50 clients on two cores, a dozen searches at once only shared the cores (and their
/// caches) among them, so every search took as long as the slowest, and the thread pool added threads for them. In
/// turn, each search runs at full speed and a client's wait is the queue ahead of it: the same throughput or better,
/// and a tail close to the mean.
/// </summary>
internal static class SearchGate
{
    private static readonly SemaphoreSlim Slots = new(Environment.ProcessorCount, Environment.ProcessorCount);

    /// <summary>Runs <paramref name="search"/> when a core is free.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> search, CancellationToken cancellationToken)
    {
        await Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await search().ConfigureAwait(false);
        }
        finally
        {
            Slots.Release();
        }
    }
}
