using System.Threading.Tasks.Sources;

namespace NasPacs.Smb;

internal sealed partial class AdaptiveLimiter
{
    /// <summary>
    /// One caller waiting for a slot: granted (by <see cref="Release"/>, under the limiter's lock) or cancelled, never
    /// both. A grant completes it on the releasing thread; a cancellation completes it through the thread pool, so that
    /// the caller's code never runs inside <see cref="CancellationTokenSource.Cancel()"/>.
    /// </summary>
    private sealed class Waiter : IValueTaskSource
    {
        private const int Waiting = 0;
        private const int Granted = 1;
        private const int Cancelled = 2;

        private ManualResetValueTaskSourceCore<bool> _core;
        private readonly CancellationTokenRegistration _registration;
        private int _state;

        public Waiter(CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), this);
            }
        }

        public bool IsCancelled => Volatile.Read(ref _state) == Cancelled;

        public ValueTask AsValueTask() => new(this, _core.Version);

        /// <summary>Claims the slot for this waiter; false when it was cancelled first.</summary>
        public bool TryGrant() => Interlocked.CompareExchange(ref _state, Granted, Waiting) == Waiting;

        /// <summary>Completes a granted waiter: its continuation runs here, on the calling thread.</summary>
        public void Complete()
        {
            _registration.Dispose();
            _core.SetResult(true);
        }

        private void Cancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
            {
                _core.RunContinuationsAsynchronously = true;
                _core.SetException(new OperationCanceledException(token));
            }
        }

        public void GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
