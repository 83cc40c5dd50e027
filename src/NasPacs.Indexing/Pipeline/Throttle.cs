namespace NasPacs.Indexing.Pipeline;

/// <summary>
/// Keeps reads at or below a file rate and a byte rate: each read waits until the totals so far are within what the
/// rates allow since the run started (or since it was last resumed), so short bursts are smoothed, not queued up.
/// </summary>
internal sealed class Throttle
{
    private readonly double _filesPerSecond;
    private readonly double _bytesPerSecond;
    private readonly TimeProvider _time;
    /// <summary>The most reading time that idle time may save up.</summary>
    private static readonly TimeSpan MaxBurst = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private long _start;
    private double _files;
    private double _bytes;

    public Throttle(double filesPerSecond, double megabytesPerSecond, TimeProvider time)
    {
        _filesPerSecond = filesPerSecond;
        _bytesPerSecond = megabytesPerSecond * 1_000_000;
        _time = time;
        _start = time.GetTimestamp();
    }

    public bool IsEnabled => _filesPerSecond > 0 || _bytesPerSecond > 0;

    /// <summary>Forgets the history, so that a pause is not followed by a burst (or by a debt).</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _start = _time.GetTimestamp();
            _files = 0;
            _bytes = 0;
        }
    }

    /// <summary>Waits until one more file may be read.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return ValueTask.CompletedTask;
        }

        TimeSpan wait;
        lock (_lock)
        {
            _files++;
            var allowedAt = TimeSpan.FromSeconds(Math.Max(
                _filesPerSecond > 0 ? (_files - 1) / _filesPerSecond : 0,
                _bytesPerSecond > 0 ? _bytes / _bytesPerSecond : 0));
            var elapsed = _time.GetElapsedTime(_start);
            if (elapsed - allowedAt > MaxBurst)
            {
                // Time when nothing was read (a slow walk, a slow start) is not saved up for a burst later.
                _start = _time.GetTimestamp() - (long)(MaxBurst.TotalSeconds * _time.TimestampFrequency);
                _files = 1;
                _bytes = 0;
                allowedAt = TimeSpan.Zero;
                elapsed = MaxBurst;
            }

            wait = allowedAt - elapsed;
        }

        return wait <= TimeSpan.Zero ? ValueTask.CompletedTask : new ValueTask(Task.Delay(wait, _time, cancellationToken));
    }

    /// <summary>Records bytes read, which the byte rate charges to the next reads.</summary>
    public void AddBytes(long bytes)
    {
        if (_bytesPerSecond > 0)
        {
            lock (_lock)
            {
                _bytes += bytes;
            }
        }
    }
}
