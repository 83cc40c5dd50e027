namespace NasPacs.Indexing.Pipeline;

/// <summary>An open-or-closed gate that workers await before each file; closed while the run is paused.</summary>
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

    public void Close()
    {
        lock (_lock)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Open()
    {
        TaskCompletionSource? closed;
        lock (_lock)
        {
            closed = _closed;
            _closed = null;
        }

        closed?.TrySetResult();
    }

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
