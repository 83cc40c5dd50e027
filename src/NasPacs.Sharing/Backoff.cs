namespace NasPacs.Sharing;

/// <summary>Refusal after repeated failures: none up to the limit, then the base delay doubling per further failure, capped.</summary>
internal static class Backoff
{
    public static TimeSpan? After(int failures, int limit, TimeSpan first, TimeSpan max)
    {
        if (failures < limit)
        {
            return null;
        }

        var doublings = Math.Min(failures - limit, 30);
        var delay = first * Math.Pow(2, doublings);
        return delay > max ? max : delay;
    }
}
