namespace NasPacs.Smb.Connection;

/// <summary>
/// A few connections to one share, opened lazily and replaced when they drop. Requests go to the healthy
/// connection with the fewest in flight; a slot is (re)opened by one caller while the others wait for it.
/// </summary>
internal sealed class SmbConnectionPool : IAsyncDisposable
{
    private readonly SmbOptions _options;
    private readonly TimeProvider _time;
    private readonly SmbConnection?[] _slots;
    private readonly SemaphoreSlim[] _slotLocks;
    private int _next;
    private bool _disposed;

    public SmbConnectionPool(SmbOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _slots = new SmbConnection?[options.PoolSize];
        _slotLocks = [.. Enumerable.Range(0, options.PoolSize).Select(_ => new SemaphoreSlim(1, 1))];
    }

    /// <summary>Connections opened so far, including replacements after drops.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _opened);

    private int _opened;

    public async ValueTask<SmbConnection> GetAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SmbConnection? best = null;
        foreach (var slot in _slots)
        {
            if (slot is { IsHealthy: true } && (best is null || slot.InFlight < best.InFlight))
            {
                best = slot;
            }
        }

        // Use an idle healthy connection; otherwise open the next empty or broken slot, round robin.
        var start = Interlocked.Increment(ref _next);
        for (var i = 0; i < _slots.Length && best is not { InFlight: 0 }; i++)
        {
            var index = (int)((uint)(start + i) % (uint)_slots.Length);
            if (_slots[index] is not { IsHealthy: true })
            {
                return await OpenSlotAsync(index, cancellationToken).ConfigureAwait(false);
            }
        }

        return best ?? await OpenSlotAsync((int)((uint)start % (uint)_slots.Length), cancellationToken).ConfigureAwait(false);
    }

    private async Task<SmbConnection> OpenSlotAsync(int index, CancellationToken cancellationToken)
    {
        await _slotLocks[index].WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_slots[index] is { IsHealthy: true } ready)
            {
                return ready;
            }

            if (_slots[index] is { } broken)
            {
                await broken.DisposeAsync().ConfigureAwait(false);
                _slots[index] = null;
            }

            var connection = await SmbConnection.OpenAsync(_options, _time, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _opened);
            _slots[index] = connection;
            return connection;
        }
        finally
        {
            _slotLocks[index].Release();
        }
    }

    /// <summary>Any open connection, for metrics; <see langword="null"/> before the first request.</summary>
    public SmbConnection? Current => _slots.FirstOrDefault(s => s is { IsHealthy: true });

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        for (var i = 0; i < _slots.Length; i++)
        {
            if (_slots[i] is { } connection)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                _slots[i] = null;
            }
        }

        // The slot locks are not disposed: an operation racing this disposal must meet a failed connection, not an
        // ObjectDisposedException from a lock (they hold no OS handle: no wait handle is ever asked for).
    }
}
