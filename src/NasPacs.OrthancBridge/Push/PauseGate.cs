namespace NasPacs.OrthancBridge.Push;

/// <summary>An open/closed gate: workers wait at it while a job is paused.</summary>
internal sealed class PauseGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _closed;

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

    public void Pause()
    {
        lock (_lock)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

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

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _closed is null ? Task.CompletedTask : _closed.Task.WaitAsync(cancellationToken);
        }
    }
}
