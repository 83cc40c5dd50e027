namespace NasPacs.Smb;

/// <summary>
/// How many operations may be in flight, adapted to the measured latency within [min, max] (a gradient limiter, as
/// TCP Vegas reasons). Latency is summarised by the median of windows of 32 round trips; the baseline is the lowest
/// window median seen by this source. While a window stays within twice the baseline, the link, not the server, is
/// the bottleneck and the limit grows by a fifth of √limit per window; beyond that the server is queueing and the
/// limit shrinks in proportion. Jitter within that tolerance does not shrink the limit. Thread-safe; waiters are
/// served in arrival order.
/// </summary>
/// <remarks>
/// A released slot is handed to the next waiter on the releasing thread (issue #7: waking each waiter through the
/// thread pool was one of the two pool hops per header read, and the largest share of client CPU at 64 callers).
/// The releasing thread is one that just finished an operation, so the woken operation runs only up to its first
/// real wait (framing its request) before the releaser goes on; a handoff nested deeper than
/// <see cref="MaxInlineDepth"/> (operations failing at once, one after another) goes to the thread pool instead, so
/// the stack stays shallow.
/// </remarks>
/// <remarks>
/// The median, not the mean: on a busy client a few round trips in every window are held up by the scheduler or a
/// garbage collection for tens of milliseconds. Their mean read as queueing and kept the limit at its floor
/// (issue #7: it never rose); the median ignores them while still rising with real queueing, which delays most
/// requests of a window.
/// </remarks>
internal sealed partial class AdaptiveLimiter
{
    /// <summary>Handoffs nested on one thread before the next one goes through the thread pool.</summary>
    private const int MaxInlineDepth = 2;

    [ThreadStatic]
    private static int t_inlineDepth;

    /// <summary>Samples per adjustment: small enough to ramp from 16 to 256 in about 4,000 operations at steady latency.</summary>
    private const int WindowSize = 32;

    /// <summary>How much slower than the baseline a window may be before the limit shrinks.</summary>
    private const double Tolerance = 2.0;

    private readonly int _min;
    private readonly int _max;
    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiters = new();
    private double _limit;
    private int _inUse;
    private double _baseline = double.MaxValue;
    private readonly double[] _window = new double[WindowSize];
    private int _windowCount;

    public AdaptiveLimiter(int min, int max)
    {
        _max = Math.Max(1, max);
        _min = Math.Clamp(min, 1, _max);
        _limit = Math.Clamp(16, _min, _max);
    }

    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return (int)_limit;
            }
        }
    }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inUse < (int)_limit)
            {
                _inUse++;
                return ValueTask.CompletedTask;
            }

            // The cancellation callback never takes the lock, so a token already cancelled may run it right here.
            waiter = new Waiter(cancellationToken);
            if (!waiter.IsCancelled)
            {
                _waiters.Enqueue(waiter);
            }
        }

        return waiter.AsValueTask();
    }

    /// <summary>Ends one operation; <paramref name="latency"/> is its duration when it is a comparable (small) one.</summary>
    public void Release(TimeSpan? latency)
    {
        Waiter? first = null;
        List<Waiter>? more = null;
        lock (_lock)
        {
            _inUse--;
            if (latency is { } sample)
            {
                Sample(sample.TotalMilliseconds);
            }

            while (_inUse < (int)_limit && _waiters.TryDequeue(out var waiter))
            {
                // A cancelled waiter gives its place to the next one; a granted one cannot be cancelled any more.
                if (waiter.TryGrant())
                {
                    _inUse++;
                    if (first is null)
                    {
                        first = waiter;
                    }
                    else
                    {
                        (more ??= []).Add(waiter);
                    }
                }
            }
        }

        if (first is not null)
        {
            Wake(first);
            more?.ForEach(Wake);
        }
    }

    private static void Wake(Waiter waiter)
    {
        if (t_inlineDepth >= MaxInlineDepth)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.Complete(), waiter, preferLocal: true);
            return;
        }

        t_inlineDepth++;
        try
        {
            waiter.Complete();
        }
        finally
        {
            t_inlineDepth--;
        }
    }

    private void Sample(double milliseconds)
    {
        _window[_windowCount++] = milliseconds;
        if (_windowCount < WindowSize)
        {
            return;
        }

        Array.Sort(_window);
        var median = (_window[(WindowSize / 2) - 1] + _window[WindowSize / 2]) / 2;
        _windowCount = 0;

        // The baseline never rises: queueing grows latency step by step with the limit, and a baseline that followed it
        // would let the limit grow without end. A lasting change of route is learnt only by a new source.
        _baseline = Math.Min(median, _baseline);
        var gradient = Math.Clamp(Tolerance * _baseline / median, 0.5, 1.0);
        var target = (_limit * gradient) + Math.Sqrt(_limit);
        _limit = Math.Clamp((0.8 * _limit) + (0.2 * target), _min, _max);
    }
}
