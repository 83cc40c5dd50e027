namespace NasPacs.Smb.Connection;

/// <summary>
/// The credits the server has granted and not yet consumed (MS-SMB2 §3.2.4.1.5). A request waits here until
/// its charge fits, so the client never sends beyond the window; waiters are served in arrival order.
/// </summary>
internal sealed class CreditGate
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(int Charge, TaskCompletionSource Waiter, long Since)> _waiters = new();
    private readonly TimeProvider _time;
    private int _available;
    private Exception? _failure;

    public CreditGate(int initial, TimeProvider time)
    {
        _available = initial;
        _time = time;
    }

    /// <summary>How long the longest waiting request has waited for credits; zero when none waits.</summary>
    public TimeSpan LongestWait
    {
        get
        {
            lock (_lock)
            {
                return _waiters.First is { } first ? _time.GetElapsedTime(first.Value.Since) : TimeSpan.Zero;
            }
        }
    }

    public int Available
    {
        get
        {
            lock (_lock)
            {
                return _available;
            }
        }
    }

    public Task WaitAsync(int charge, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                return Task.FromException(_failure);
            }

            if (_waiters.Count == 0 && _available >= charge)
            {
                _available -= charge;
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var node = _waiters.AddLast((charge, waiter, _time.GetTimestamp()));
            if (cancellationToken.CanBeCanceled)
            {
                cancellationToken.Register(() =>
                {
                    lock (_lock)
                    {
                        if (node.List is null)
                        {
                            return;
                        }

                        _waiters.Remove(node);
                    }

                    waiter.TrySetCanceled(cancellationToken);
                });
            }

            return waiter.Task;
        }
    }

    /// <summary>Adds credits the server granted (or returns unused ones) and wakes the waiters that now fit.</summary>
    public void Release(int credits)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            _available += credits;
            while (_waiters.First is { } first && first.Value.Charge <= _available)
            {
                _available -= first.Value.Charge;
                _waiters.RemoveFirst();
                (ready ??= []).Add(first.Value.Waiter);
            }
        }

        ready?.ForEach(w => w.TrySetResult());
    }

    /// <summary>Fails every waiter and every later wait: the connection is gone.</summary>
    public void Fail(Exception failure)
    {
        List<TaskCompletionSource> waiters;
        lock (_lock)
        {
            _failure ??= failure;
            waiters = [.. _waiters.Select(w => w.Waiter)];
            _waiters.Clear();
        }

        waiters.ForEach(w => w.TrySetException(failure));
    }
}
