namespace NasPacs.Api.Search;

/// <summary>
/// How many searches run at once and how long the others may wait, section <c>NasPacs:Search</c>. Validated at
/// start-up. A search that finds the queue full, or waits longer than <see cref="MaxWait"/>, is answered 503 with
/// <c>Retry-After</c>.
/// </summary>
public sealed class SearchOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Search";

    /// <summary>Waiting places per slot when <see cref="QueueLimit"/> is not set.</summary>
    public const int QueuePerSlot = 64;

    /// <summary>
    /// Searches that run at once. Default the processor count: a search is CPU work in SQLite from start to end, so
    /// more at once only share the cores. 1 to 1,024.
    /// </summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Searches that may wait for a slot; one more is answered 503 at once. Default none: <see cref="QueuePerSlot"/>
    /// (64) per slot, 128 on two cores. That is generous on purpose: the 50-client benchmarks of issue #4
    /// (docs/benchmarks.md) never have more than 49 waiting, and a full queue of 128 is served in under 0.1 s at the
    /// 1,580 to 1,810 searches/s measured on an idle two-core machine, in about 2 s at the 63/s of the same machine at
    /// load 40. It bounds only a real pile-up (clients retrying faster than searches end), whose waiting requests would
    /// otherwise hold connections and memory without limit. 0 (never wait) to 100,000.
    /// </summary>
    public int? QueueLimit { get; set; }

    /// <summary>
    /// The longest a search waits for a slot; then it is answered 503. Default 10 s: the time-out the benchmark clients
    /// used, twice the slowest p99 measured with 50 clients (4.9 s, on two cores shared with another server; 43 to 53 ms
    /// on idle ones), and well under a reverse proxy's usual read time-out (nginx: 60 s), so that a client gets this
    /// server's answer with <c>Retry-After</c> rather than the proxy's 504. 00:00:00.1 to 00:05:00.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><see cref="QueueLimit"/>, or its default for <see cref="Slots"/>.</summary>
    internal int QueueLimitOrDefault => QueueLimit ?? QueuePerSlot * Slots;
}
