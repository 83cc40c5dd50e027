using System.Globalization;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Search;

/// <summary>
/// Runs at most one search per slot (by default one per core) at a time; the others wait their turn in arrival order. A
/// search is CPU work in SQLite from start to end: with 50 clients on two cores, a dozen searches at once only shared
/// the cores (and their caches) among them, so every search took as long as the slowest, and the thread pool added
/// threads for them. In turn, each search runs at full speed and a client's wait is the queue ahead of it: the same
/// throughput or better, and a tail close to the mean.
/// <para>
/// The wait is bounded (<see cref="SearchOptions"/>): with the queue full, or after <c>MaxWait</c>, the search is
/// refused with <see cref="SearchBusyException"/> so that an overloaded server tells clients to come back instead of
/// making each wait longer. A client that disconnects while waiting leaves the queue.
/// </para>
/// </summary>
internal sealed class SearchGate : IDisposable
{
    /// <summary>The least time between two warnings about refused searches.</summary>
    internal static readonly TimeSpan WarnEvery = TimeSpan.FromSeconds(10);

    private const long NeverWarned = long.MinValue;

    private readonly SemaphoreSlim _slots;
    private readonly int _queueLimit;
    private readonly TimeSpan _maxWait;
    private readonly TimeSpan _retryAfter;
    private readonly TimeProvider _time;
    private readonly ILogger<SearchGate> _logger;
    private int _waiting;
    private long _refusedSinceWarning;
    private long _lastWarningAt = NeverWarned;

    public SearchGate(IOptions<SearchOptions> options, TimeProvider time, ILogger<SearchGate> logger)
    {
        _logger = logger;
        var settings = options.Value;
        _slots = new SemaphoreSlim(settings.Slots, settings.Slots);
        _queueLimit = settings.QueueLimitOrDefault;
        _maxWait = settings.MaxWait;
        _time = time;

        // MaxWait is the longest queue the administrator accepts; a retry sooner would most likely meet the same queue.
        _retryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(_maxWait.TotalSeconds)));
    }

    /// <summary>The searches waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs <paramref name="search"/> when a slot is free.</summary>
    /// <exception cref="SearchBusyException">The queue is full, or no slot was free within <c>MaxWait</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async Task<T> RunAsync<T>(Func<Task<T>> search, CancellationToken cancellationToken)
    {
        // A free slot is taken without a timer; a waiter never loses its turn to this (Release hands the slot to it).
        if (!_slots.Wait(0, cancellationToken))
        {
            await WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await search().ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _waiting) > _queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
            throw Busy("the queue of waiting searches is full");
        }

        try
        {
            using var timeout = new CancellationTokenSource(_maxWait, _time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _slots.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Busy(string.Create(CultureInfo.InvariantCulture, $"this one waited {_maxWait.TotalSeconds:0.#} s without a turn"));
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private SearchBusyException Busy(string reason)
    {
        WarnRefused(reason);
        return new(
            string.Create(CultureInfo.InvariantCulture, $"The server is busy with other searches ({reason}); try again in {_retryAfter.TotalSeconds:0} s."),
            _retryAfter);
    }

    /// <summary>
    /// Logs refusals at most once per <see cref="WarnEvery"/>, with how many there were since the last warning: an
    /// administrator learns of an overload from the server's log, and an overload does not flood it.
    /// </summary>
    private void WarnRefused(string reason)
    {
        Interlocked.Increment(ref _refusedSinceWarning);
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarningAt);
        if ((last == NeverWarned || _time.GetElapsedTime(last, now) >= WarnEvery) && Interlocked.CompareExchange(ref _lastWarningAt, now, last) == last)
        {
            var seconds = last == NeverWarned ? 0 : _time.GetElapsedTime(last, now).TotalSeconds;
            _logger.SearchesRefused(Interlocked.Exchange(ref _refusedSinceWarning, 0), seconds, reason);
        }
    }
}
