namespace NasPacs.Api.Roots;

/// <summary>Wakes everyone waiting for a status change (a run started, changed phase or ended). Lock-free for waiters.</summary>
internal sealed class StatusSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when <see cref="Raise"/> is next called.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    /// <summary>Wakes the current waiters.</summary>
    public void Raise() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
