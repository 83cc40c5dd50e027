namespace NasPacs.Smb;

/// <summary>
/// How many operations may be in flight, adapted to the measured latency within [min, max] (a gradient limiter, as
/// TCP Vegas reasons): while latency stays at its observed minimum the link, not the server, is the bottleneck and
/// the limit grows by a fifth of √limit per window of 32 operations; when latency rises the server is queueing and the limit shrinks in
/// proportion. Thread-safe; waiters are served in arrival order.
/// </summary>
internal sealed class AdaptiveLimiter
{
    /// <summary>Samples per adjustment: small enough to ramp from 16 to 256 in about 4,000 operations at steady latency.</summary>
    private const int WindowSize = 32;

    private readonly int _min;
    private readonly int _max;
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private double _limit;
    private int _inUse;
    private double _minLatency = double.MaxValue;
    private double _windowSum;
    private int _windowCount;

    public AdaptiveLimiter(int min, int max)
    {
        _min = Math.Max(1, min);
        _max = Math.Max(_min, max);
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
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inUse < (int)_limit)
            {
                _inUse++;
                return ValueTask.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            }

            return new ValueTask(waiter.Task);
        }
    }

    /// <summary>Ends one operation; <paramref name="latency"/> is its duration when it is a comparable (small) one.</summary>
    public void Release(TimeSpan? latency)
    {
        List<TaskCompletionSource>? wake = null;
        lock (_lock)
        {
            _inUse--;
            if (latency is { } sample)
            {
                Sample(sample.TotalMilliseconds);
            }

            while (_inUse < (int)_limit && _waiters.TryDequeue(out var waiter))
            {
                // A cancelled waiter gives its place to the next one.
                if (!waiter.Task.IsCompleted)
                {
                    _inUse++;
                    (wake ??= []).Add(waiter);
                }
            }
        }

        wake?.ForEach(w =>
        {
            if (!w.TrySetResult())
            {
                Release(null); // Cancelled between dequeue and wake: hand the slot on.
            }
        });
    }

    private void Sample(double milliseconds)
    {
        _windowSum += milliseconds;
        _windowCount++;
        if (_windowCount < WindowSize)
        {
            return;
        }

        var average = _windowSum / _windowCount;
        _windowSum = 0;
        _windowCount = 0;

        // The floor creeps up 1 % per window so that a lasting change of route is learnt rather than fought.
        _minLatency = Math.Min(average, _minLatency * 1.01);
        var gradient = Math.Clamp(_minLatency / average, 0.5, 1.0);
        var target = (_limit * gradient) + Math.Sqrt(_limit);
        _limit = Math.Clamp((0.8 * _limit) + (0.2 * target), _min, _max);
    }
}
