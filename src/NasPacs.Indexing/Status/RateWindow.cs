namespace NasPacs.Indexing.Status;

/// <summary>Files per second over the last few seconds, from (time, processed) samples.</summary>
internal sealed class RateWindow(TimeSpan span)
{
    private readonly Queue<(long Timestamp, long Processed)> _samples = new();

    public double Add(long timestamp, long processed, TimeProvider time)
    {
        _samples.Enqueue((timestamp, processed));
        while (_samples.Count > 2 && time.GetElapsedTime(_samples.Peek().Timestamp, timestamp) > span)
        {
            _samples.Dequeue();
        }

        var (firstTime, firstProcessed) = _samples.Peek();
        var seconds = time.GetElapsedTime(firstTime, timestamp).TotalSeconds;
        return seconds > 0 ? (processed - firstProcessed) / seconds : 0;
    }

    public void Clear() => _samples.Clear();
}
