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
    public async Task Release_JitteryLatency_StillGrowsLimitToMaximum()
    {
        var limiter = new AdaptiveLimiter(4, 256);
        var random = new Random(5);

        await RunAsync(limiter, 5000, _ => TimeSpan.FromMilliseconds(4 + (4 * random.NextDouble())));

        Assert.Equal(256, limiter.Limit);
    }

    [Fact]
    public async Task Release_BusyClientStallsOneInTen_StillGrowsLimitToMaximum_Issue7()
    {
        // Issue #7: on a loaded machine about one round trip in ten is held up 60 ms by the scheduler or a collection.
        // Averaged, those stalls read as a server queueing and kept the limit near its floor of 32.
        var limiter = new AdaptiveLimiter(32, 256);
        var random = new Random(11);

        await RunAsync(limiter, 8000, _ => TimeSpan.FromMilliseconds(random.Next(10) == 0 ? 64 : 4));

        Assert.Equal(256, limiter.Limit);
    }

    [Fact]
    public async Task Release_ServerQueuesBeyond32InFlight_SettlesNearItsCapacity()
    {
        var limiter = new AdaptiveLimiter(4, 256);

        // A server that serves 32 requests at once in 4 ms and queues the rest: latency grows with the limit.
        await RunAsync(limiter, 8000, _ => TimeSpan.FromMilliseconds(4 * Math.Max(1.0, limiter.Limit / 32.0)));

        Assert.InRange(limiter.Limit, 32, 96);
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

    [Fact]
    public async Task Release_WithWaiter_RunsItsContinuationOnTheReleasingThread_Issue7()
    {
        // Issue #7: each waiter woken through the thread pool was a hop per operation at 64 callers.
        var limiter = new AdaptiveLimiter(1, 1);
        await limiter.WaitAsync(CancellationToken.None);
        var continuedOn = 0;
        var waiting = WaitThenRecordThreadAsync();

        limiter.Release(null);

        Assert.Equal(Environment.CurrentManagedThreadId, continuedOn);
        await waiting;

        async Task WaitThenRecordThreadAsync()
        {
            await limiter.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            continuedOn = Environment.CurrentManagedThreadId;
        }
    }

    [Fact]
    public async Task Release_LongChainOfWaitersThatReleaseAtOnce_CompletesAllWithoutDeepRecursion()
    {
        // Each woken waiter releases at once, as an operation failing synchronously does: inline handoffs would nest
        // 20,000 deep (and overflow the stack) unless deep ones go through the thread pool.
        var limiter = new AdaptiveLimiter(1, 1);
        await limiter.WaitAsync(CancellationToken.None);
        var completed = 0;
        var waiters = Enumerable.Range(0, 20_000).Select(_ => WaitThenReleaseAsync()).ToList();

        limiter.Release(null);

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(20_000, completed);
        await limiter.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        async Task WaitThenReleaseAsync()
        {
            await limiter.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            Interlocked.Increment(ref completed);
            limiter.Release(null);
        }
    }

    [Fact]
    public async Task WaitAsync_TokenAlreadyCancelled_FailsAndTakesNoSlot()
    {
        var limiter = new AdaptiveLimiter(1, 1);
        await limiter.WaitAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.WaitAsync(new CancellationToken(canceled: true)).AsTask());
        var next = limiter.WaitAsync(CancellationToken.None).AsTask();
        limiter.Release(null);

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
