namespace NasPacs.Smb.Tests;

public sealed class AdaptiveLimiterTests
{
    [Fact]
    public async Task Release_SteadyLatency_GrowsLimitToMaximum()
    {
        var limiter = new AdaptiveLimiter(4, 256);

        await RunAsync(limiter, 5000, _ => TimeSpan.FromMilliseconds(4));

        Assert.Equal(256, limiter.Limit);
    }

    [Fact]
    public async Task Release_LatencyRisesWithLoad_ShrinksLimit()
    {
        var limiter = new AdaptiveLimiter(4, 256);
        await RunAsync(limiter, 3000, _ => TimeSpan.FromMilliseconds(4));
        var grown = limiter.Limit;

        // A server that queues: latency four times the floor.
        await RunAsync(limiter, 3000, _ => TimeSpan.FromMilliseconds(16));

        Assert.True(limiter.Limit < grown / 2, $"limit {limiter.Limit} after {grown}");
        Assert.True(limiter.Limit >= 4);
    }

    [Fact]
    public async Task WaitAsync_AtLimit_WaitsUntilRelease()
    {
        var limiter = new AdaptiveLimiter(1, 1);
        await limiter.WaitAsync(CancellationToken.None);

        var second = limiter.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        limiter.Release(null);

        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitAsync_CancelledWaiter_GivesSlotToNext()
    {
        var limiter = new AdaptiveLimiter(1, 1);
        await limiter.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.WaitAsync(cancel.Token).AsTask();
        var next = limiter.WaitAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        limiter.Release(null);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static async Task RunAsync(AdaptiveLimiter limiter, int operations, Func<int, TimeSpan> latency)
    {
        for (var i = 0; i < operations; i++)
        {
            await limiter.WaitAsync(CancellationToken.None);
            limiter.Release(latency(i));
        }
    }
}
