namespace NasPacs.Abstractions.Jobs;

/// <summary>
/// An open-or-closed gate for a long job's workers: each awaits <see cref="WaitAsync"/> before its next item, which
/// completes at once while the gate is open and waits while the job is paused. Thread-safe.
/// </summary>
public sealed class PauseGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _closed;

    /// <summary>Whether the gate is closed.</summary>
    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return _closed is not null;
            }
        }
    }

    /// <summary>Closes the gate: workers stop at their next <see cref="WaitAsync"/>. Pausing a paused gate does nothing.</summary>
    public void Pause()
    {
        lock (_lock)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Opens the gate and releases every waiting worker. Resuming an open gate does nothing.</summary>
    public void Resume()
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

    /// <summary>Completes at once when the gate is open, else when it opens or <paramref name="cancellationToken"/> fires.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            closed = _closed;
        }

        return closed is null ? ValueTask.CompletedTask : new ValueTask(closed.Task.WaitAsync(cancellationToken));
    }
}
