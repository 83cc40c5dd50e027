using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NasPacs.Api.Search;

namespace NasPacs.Api.Tests.Search;

/// <summary>The gate alone: each search runs until the test ends it; time is a <see cref="FakeTimeProvider"/>.</summary>
public sealed class SearchGateTests : IDisposable
{
    /// <summary>A guard against a hang, never a synchronisation: every wait below ends on a signal long before.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger _log = new();
    private SearchGate? _gate;

    [Fact]
    public async Task RunAsync_RefusedAgainAndAgain_WarnsOnceEveryTenSecondsWithTheCount()
    {
        var gate = Gate(slots: 1, queueLimit: 0);
        _ = new HeldSearch(gate);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<SearchBusyException>(() => gate.RunAsync(() => Task.FromResult(0), CancellationToken.None).WaitAsync(Hang));
        }

        _time.Advance(TimeSpan.FromSeconds(9));
        await Assert.ThrowsAsync<SearchBusyException>(() => gate.RunAsync(() => Task.FromResult(0), CancellationToken.None).WaitAsync(Hang));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<SearchBusyException>(() => gate.RunAsync(() => Task.FromResult(0), CancellationToken.None).WaitAsync(Hang));

        // The first refusal at once, then the four since it together, ten seconds later; never the search text.
        Assert.Equal(
            [
                "Warning: Refused 1 search(es) with 503 in the last 0 s (the queue of waiting searches is full). If this recurs, raise NasPacs:Search:QueueLimit or NasPacs:Search:MaxWait, or give the server more cores.",
                "Warning: Refused 4 search(es) with 503 in the last 10 s (the queue of waiting searches is full). If this recurs, raise NasPacs:Search:QueueLimit or NasPacs:Search:MaxWait, or give the server more cores.",
            ],
            _log.Lines);
    }

    [Fact]
    public async Task RunAsync_SlotFree_RunsAtOnce()
    {
        var gate = Gate(slots: 1);

        Assert.Equal(7, await gate.RunAsync(() => Task.FromResult(7), CancellationToken.None).WaitAsync(Hang));
    }

    [Fact]
    public async Task RunAsync_QueueFull_RejectedAtOnce()
    {
        var gate = Gate(slots: 1, queueLimit: 1);
        var running = new HeldSearch(gate);
        var waiting = new HeldSearch(gate);

        var refused = gate.RunAsync(() => Task.FromResult(0), CancellationToken.None);

        // Refused without any time passing, while the waiting search keeps its place.
        Assert.True(refused.IsFaulted);
        var busy = await Assert.ThrowsAsync<SearchBusyException>(() => refused.WaitAsync(Hang));
        Assert.Equal("The server is busy with other searches (the queue of waiting searches is full); try again in 10 s.", busy.Message);
        Assert.Equal(TimeSpan.FromSeconds(10), busy.RetryAfter);
        Assert.Equal(1, gate.Waiting);
        running.Finish(1);
        await waiting.Started.WaitAsync(Hang);
        waiting.Finish(2);
        Assert.Equal(2, await waiting.Result.WaitAsync(Hang));
    }

    [Fact]
    public async Task RunAsync_QueueLimitZero_RejectedWhileEverySlotIsBusy()
    {
        var gate = Gate(slots: 2, queueLimit: 0);
        _ = new HeldSearch(gate);
        _ = new HeldSearch(gate);

        await Assert.ThrowsAsync<SearchBusyException>(() => gate.RunAsync(() => Task.FromResult(0), CancellationToken.None).WaitAsync(Hang));
    }

    [Fact]
    public async Task RunAsync_WaitsLongerThanMaxWait_Rejected()
    {
        var gate = Gate(slots: 1, maxWait: TimeSpan.FromSeconds(3));
        _ = new HeldSearch(gate);
        var waiting = new HeldSearch(gate);

        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(waiting.Result.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.2));

        var busy = await Assert.ThrowsAsync<SearchBusyException>(() => waiting.Result.WaitAsync(Hang));
        Assert.Equal("The server is busy with other searches (this one waited 3 s without a turn); try again in 3 s.", busy.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);
        Assert.Equal(0, gate.Waiting);
        Assert.False(waiting.Started.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_SlotFreedWithinMaxWait_RunsWaitingSearchToTheEnd()
    {
        var gate = Gate(slots: 1, maxWait: TimeSpan.FromSeconds(3));
        var running = new HeldSearch(gate);
        var waiting = new HeldSearch(gate);

        _time.Advance(TimeSpan.FromSeconds(2));
        running.Finish(1);
        await waiting.Started.WaitAsync(Hang);

        // The limit is on the wait, not on the search.
        _time.Advance(TimeSpan.FromSeconds(5));
        waiting.Finish(2);
        Assert.Equal(2, await waiting.Result.WaitAsync(Hang));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_FreesQueuePlace()
    {
        var gate = Gate(slots: 1, queueLimit: 1);
        var running = new HeldSearch(gate);
        using var client = new CancellationTokenSource();
        var leaving = new HeldSearch(gate, client.Token);

        await client.CancelAsync();

        var left = await Record.ExceptionAsync(() => leaving.Result.WaitAsync(Hang));
        Assert.IsAssignableFrom<OperationCanceledException>(left);
        Assert.Equal(0, gate.Waiting);
        var next = new HeldSearch(gate);
        Assert.False(next.Result.IsCompleted);
        running.Finish(1);
        await next.Started.WaitAsync(Hang);
        next.Finish(3);
        Assert.Equal(3, await next.Result.WaitAsync(Hang));
        Assert.False(leaving.Started.IsCompleted);
    }

    [Fact]
    public async Task RunAsync_SearchFails_ReleasesSlot()
    {
        var gate = Gate(slots: 1, queueLimit: 1);
        var failing = new HeldSearch(gate);
        var waiting = new HeldSearch(gate);

        failing.Fail(new InvalidOperationException("the index is gone"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing.Result.WaitAsync(Hang));
        await waiting.Started.WaitAsync(Hang);
        waiting.Finish(2);
        Assert.Equal(2, await waiting.Result.WaitAsync(Hang));
        Assert.Equal(5, await gate.RunAsync(() => Task.FromResult(5), CancellationToken.None).WaitAsync(Hang));
    }

    [Fact]
    public async Task RunAsync_SeveralWaiting_RunInArrivalOrder()
    {
        var gate = Gate(slots: 1);
        var running = new HeldSearch(gate);
        var order = new List<int>();
        var waiting = Enumerable.Range(1, 3).Select(i => gate.RunAsync(() => { order.Add(i); return Task.FromResult(i); }, CancellationToken.None)).ToList();

        running.Finish(0);
        await Task.WhenAll(waiting).WaitAsync(Hang);

        Assert.Equal([1, 2, 3], order);
    }

    [Theory]
    [InlineData("Slots", 0, null, 10_000)]
    [InlineData("Slots", 1025, null, 10_000)]
    [InlineData("QueueLimit", 1, -1, 10_000)]
    [InlineData("QueueLimit", 1, 100_001, 10_000)]
    [InlineData("MaxWait", 1, null, 99)]
    [InlineData("MaxWait", 1, null, 300_001)]
    public void Validate_OutOfRange_FailsNamingTheSetting(string setting, int slots, int? queueLimit, int maxWaitMilliseconds)
    {
        var options = new SearchOptions { Slots = slots, QueueLimit = queueLimit, MaxWait = TimeSpan.FromMilliseconds(maxWaitMilliseconds) };

        var result = new SearchOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.StartsWith($"NasPacs:Search:{setting} must be ", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_SucceedWithOneSlotPerCore()
    {
        var options = new SearchOptions();

        Assert.True(new SearchOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(Environment.ProcessorCount, options.Slots);
        Assert.Equal(64 * Environment.ProcessorCount, options.QueueLimitOrDefault);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxWait);
    }

    public void Dispose() => _gate?.Dispose();

    private SearchGate Gate(int slots, int? queueLimit = null, TimeSpan? maxWait = null)
    {
        var options = new SearchOptions { Slots = slots, QueueLimit = queueLimit, MaxWait = maxWait ?? TimeSpan.FromSeconds(10) };
        _gate = new SearchGate(Options.Create(options), _time, _log);
        return _gate;
    }

    /// <summary>A search through the gate that signals when it starts and runs until the test ends it.</summary>
    private sealed class HeldSearch
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource<int> _end = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HeldSearch(SearchGate gate, CancellationToken cancellationToken = default)
            => Result = gate.RunAsync(() =>
            {
                _started.SetResult();
                return _end.Task;
            }, cancellationToken);

        /// <summary>Completes when the gate lets the search run.</summary>
        public Task Started => _started.Task;

        /// <summary>What <see cref="SearchGate.RunAsync{T}"/> returned.</summary>
        public Task<int> Result { get; }

        public void Finish(int value) => _end.SetResult(value);

        public void Fail(Exception ex) => _end.SetException(ex);
    }

    /// <summary>Keeps what the gate logs, as "Level: message".</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<SearchGate>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
