using System.Threading.Tasks.Sources;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>
/// One request or compound waiting for its final responses: the awaitable the caller holds (one object per
/// compound, not a task per message) and what the reader loop needs to check each response against its request.
/// </summary>
/// <remarks>
/// Completed at most once: by the reader loop when the last response arrives, by cancellation, or by the
/// connection's failure. Continuations run on the thread pool, never on the reader loop.
/// </remarks>
internal sealed class PendingCompound : IValueTaskSource<Smb2Response[]>
{
    private readonly Smb2Response[] _responses;
    private ManualResetValueTaskSourceCore<Smb2Response[]> _core = new() { RunContinuationsAsynchronously = true };
    private int _remaining;
    private int _completed;

    public PendingCompound(int count, bool mustBeSigned, bool encrypted, long sentAt)
    {
        _responses = new Smb2Response[count];
        Commands = new Smb2Command[count];
        MessageIds = new ulong[count];
        AsyncIds = new ulong[count];
        _remaining = count;
        MustBeSigned = mustBeSigned;
        Encrypted = encrypted;
        LastActivity = sentAt;
        SentAt = sentAt;
    }

    /// <summary>When the compound was queued for sending (a <see cref="TimeProvider"/> timestamp).</summary>
    public long SentAt { get; }

    /// <summary>When the compound was sent or last acknowledged with STATUS_PENDING (a <see cref="TimeProvider"/> timestamp).</summary>
    public long LastActivity;

    public Smb2Command[] Commands { get; }

    public ulong[] MessageIds { get; }

    public bool MustBeSigned { get; }

    public bool Encrypted { get; }

    /// <summary>Which message is a READ whose data goes straight to <see cref="ReadDestination"/>; -1 for none.</summary>
    public int ReadIndex { get; init; } = -1;

    /// <summary>Where the data of message <see cref="ReadIndex"/> goes; its length is the most the READ may return.</summary>
    public Memory<byte> ReadDestination { get; init; }

    /// <summary>Per message, the async id the server gave it with STATUS_PENDING (0 until then): what a CANCEL names.</summary>
    public ulong[] AsyncIds { get; }

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    public ValueTask<Smb2Response[]> AsValueTask() => new(this, _core.Version);

    /// <summary>Stores the final response to message <paramref name="index"/>; completes when it is the last one.</summary>
    public void Deliver(int index, Smb2Response response)
    {
        _responses[index] = response;
        if (Interlocked.Decrement(ref _remaining) == 0 && Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _core.SetResult(_responses);
        }
    }

    public bool TryFail(Exception failure)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        _core.SetException(failure);
        return true;
    }

    public Smb2Response[] GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
