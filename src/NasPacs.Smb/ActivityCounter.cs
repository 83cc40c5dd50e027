namespace NasPacs.Smb;

/// <summary>A count and the span of time over which it grew, for rates; thread-safe.</summary>
internal sealed class ActivityCounter
{
    private long _count;
    private long _first;
    private long _last;

    public long Count => Interlocked.Read(ref _count);

    public void Add(long amount, TimeProvider time)
    {
        var now = time.GetTimestamp();
        Interlocked.CompareExchange(ref _first, now, 0);
        Interlocked.Exchange(ref _last, now);
        Interlocked.Add(ref _count, amount);
    }

    /// <summary>Count per second between the first and the latest addition; zero until there are two.</summary>
    public double PerSecond(TimeProvider time)
    {
        var first = Interlocked.Read(ref _first);
        var span = first == 0 ? TimeSpan.Zero : time.GetElapsedTime(first, Interlocked.Read(ref _last));
        return span > TimeSpan.Zero ? Count / span.TotalSeconds : 0;
    }
}
