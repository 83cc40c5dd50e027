using System.Buffers;
using System.Net.Sockets;
using NasPacs.Smb.Crypto;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>
/// One TCP connection to the server carrying one session and one tree: frames messages (direct TCP, a 4-byte
/// length before each), multiplexes many requests by message id within the granted credits, signs or encrypts
/// what it sends and verifies or decrypts what it receives. A single reader loop dispatches responses.
/// </summary>
internal sealed partial class SmbConnection : IAsyncDisposable
{
    private const int InitialFrameLimit = 1 << 20;
    private const int OutputBufferSize = 64 << 10;

    private readonly Socket _socket;

    /// <summary>Guards message ids, signing and encryption state, the output buffers and <see cref="_flushing"/>.</summary>
    private readonly Lock _sendLock = new();

    /// <summary>Requests awaiting their final response by message id; locked on itself (taken inside <see cref="_sendLock"/>, never around it).</summary>
    private readonly Dictionary<ulong, PendingMessage> _pending = [];
    private readonly CreditGate _credits;
    private readonly TimeSpan _requestTimeout;
    private readonly int _targetCredits;
    private readonly TimeProvider _time;
    private readonly Task _readLoop;
    private readonly ITimer _watchdog;
    private ulong _nextMessageId;
    private int _frameLimit = InitialFrameLimit;
    private bool _multiCredit;
    private MessageSigner? _signer;
    private MessageCipher? _cipher;
    private bool _encryptAll;
    private Exception? _failure;
    private int _inFlight;
    private byte[] _output = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
    private byte[] _spare = ArrayPool<byte>.Shared.Rent(OutputBufferSize);
    private int _outputLength;
    private bool _flushing;

    private SmbConnection(Socket socket, TimeSpan requestTimeout, TimeProvider time, int targetCredits)
    {
        _socket = socket;
        _requestTimeout = requestTimeout;
        _targetCredits = targetCredits;
        _time = time;
        _credits = new CreditGate(1, time);
        _readLoop = Task.Factory.StartNew(ReadLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var period = requestTimeout / 4;
        _watchdog = time.CreateTimer(_ => Watchdog(), null, period, period);
    }

    /// <summary>
    /// A connection over an already connected socket, before any handshake: no session, no tree, one credit.
    /// <see cref="OpenAsync"/> starts from here; tests drive the message layer against a scripted server with it.
    /// </summary>
    internal static SmbConnection Attach(Socket socket, TimeSpan requestTimeout, TimeProvider time, int targetCredits = 512) =>
        new(socket, requestTimeout, time, targetCredits);

    /// <summary>
    /// The credits a connection keeps in hand for <paramref name="maxRequestsInFlight"/> operations (SmbOptions'
    /// maximum), all of which may run on one connection: four each (a header read charges three, CREATE + READ + CLOSE),
    /// at least 64 and at most 8,192 (Samba's default <c>smb2 max credits</c>). 512 for the default of 128.
    /// </summary>
    internal static int TargetCreditsFor(int maxRequestsInFlight) => Math.Clamp(maxRequestsInFlight * 4, 64, 8192);

    /// <summary>Credits this connection keeps asking for until it holds them (<see cref="TargetCreditsFor"/>).</summary>
    public int TargetCredits => _targetCredits;

    /// <summary>Observes the exact bytes of a request as sent (for the pre-authentication hash).</summary>
    public delegate void MessageObserver(ReadOnlySpan<byte> message);

    public ulong SessionId { get; private set; }

    public uint TreeId { get; private set; }

    public bool IsHealthy => Volatile.Read(ref _failure) is null;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Credits granted and not yet spent.</summary>
    public int CreditsAvailable => _credits.Available;

    /// <summary>Smoothed time from sending a request to its final response (server time included); zero before the first.</summary>
    public TimeSpan RoundTrip => TimeSpan.FromTicks(Interlocked.Read(ref _roundTripTicks));

    private long _roundTripTicks;

    /// <summary>An exponentially weighted mean (weight 1/8, as TCP's SRTT) of round-trip times.</summary>
    private void RecordRoundTrip(TimeSpan sample)
    {
        long current, next;
        do
        {
            current = Interlocked.Read(ref _roundTripTicks);
            next = current == 0 ? sample.Ticks : current + ((sample.Ticks - current) / 8);
        }
        while (Interlocked.CompareExchange(ref _roundTripTicks, next, current) != current);
    }

    /// <summary>
    /// Sends one request, or several as one compound (related when <paramref name="related"/>: they share the
    /// handle the first one opens), and returns the final responses in order.
    /// </summary>
    /// <remarks>
    /// The compound is framed, signed or encrypted straight into the connection's output buffer; whoever finds no
    /// write in progress writes everything queued so far in one socket call, so many callers share one system call
    /// and one proxy or network chunk. A cancelled caller gets <see cref="OperationCanceledException"/> at once and
    /// the server is asked to CANCEL what it had answered with STATUS_PENDING.
    /// </remarks>
    public Task<Smb2Response[]> SendAsync(IReadOnlyList<Smb2Request> requests, bool related, CancellationToken cancellationToken, MessageObserver? observer = null) =>
        SendAsync(requests, related, readIndex: -1, readDestination: default, cancellationToken, observer);

    /// <summary>
    /// As <see cref="SendAsync(IReadOnlyList{Smb2Request}, bool, CancellationToken, MessageObserver?)"/>; the data of a
    /// successful READ at <paramref name="readIndex"/> is copied straight into <paramref name="readDestination"/> (at
    /// most its length) and reported by <see cref="Smb2Response.DeliveredBytes"/>, sparing a copy of the response.
    /// </summary>
    public async Task<Smb2Response[]> SendAsync(IReadOnlyList<Smb2Request> requests, bool related, int readIndex, Memory<byte> readDestination, CancellationToken cancellationToken, MessageObserver? observer = null)
    {
        ThrowIfFailed();
        var totalCharge = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            totalCharge += Charge(requests[i]);
        }

        await _credits.WaitAsync(totalCharge, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        var compound = new PendingCompound(requests.Count, mustBeSigned: !_encryptAll && _signer is not null, encrypted: _encryptAll && _cipher is not null, _time.GetTimestamp())
        {
            ReadIndex = readIndex,
            ReadDestination = readDestination,
        };
        try
        {
            bool flush;
            lock (_sendLock)
            {
                ThrowIfFailed();
                Frame(requests, related, compound, observer);
                flush = !_flushing;
                _flushing = true;
            }

            if (flush)
            {
                Flush();
            }

            Smb2Response[] responses;
            using (cancellationToken.UnsafeRegister(static (state, token) => ((PendingCompound)state!).TryFail(new OperationCanceledException(token)), compound))
            {
                try
                {
                    responses = await compound.AsValueTask().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    Forget(compound, sendCancel: true);
                    throw;
                }
            }

            RecordRoundTrip(_time.GetElapsedTime(compound.SentAt));
            return responses;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private int Charge(Smb2Request request) => _multiCredit ? request.CreditCharge : 1;

    /// <summary>Assigns message ids and appends the framed (signed or encrypted) compound to the output buffer; under <see cref="_sendLock"/>.</summary>
    private void Frame(IReadOnlyList<Smb2Request> requests, bool related, PendingCompound compound, MessageObserver? observer)
    {
        var plainLength = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            plainLength += PaddedLength(requests, i);
        }

        var encrypt = compound.Encrypted;
        var frameLength = plainLength + (encrypt ? MessageCipher.TransformHeaderSize : 0);
        EnsureOutput(4 + frameLength);
        var output = _output.AsSpan(_outputLength, 4 + frameLength);
        byte[]? rented = null;
        var plain = encrypt ? (rented = ArrayPool<byte>.Shared.Rent(plainLength)).AsSpan(0, plainLength) : output[4..];
        try
        {
            plain.Clear();
            var at = 0;
            // Below half the target, each message asks for a few more than it charges, so the window grows to the target
            // over a few round trips and then only holds (the server grants up to what is asked, MS-SMB2 §3.3.1.2).
            var requestCredits = (ushort)(_credits.Available < _targetCredits / 2 ? Math.Min(64, _targetCredits / 4) : 0);
            for (var i = 0; i < requests.Count; i++)
            {
                var request = requests[i];
                var charge = Charge(request);
                var length = PaddedLength(requests, i);
                var messageId = _nextMessageId;
                _nextMessageId += (ulong)charge;
                var message = plain.Slice(at, length);
                new Smb2Header(
                    CreditCharge: (ushort)(_multiCredit ? charge : 0),
                    Status: 0,
                    Command: request.Command,
                    Credits: (ushort)(charge + requestCredits),
                    Flags: related && i > 0 ? Smb2Flags.RelatedOperations : Smb2Flags.None,
                    NextCommand: i < requests.Count - 1 ? (uint)length : 0,
                    MessageId: messageId,
                    AsyncId: 0,
                    TreeId: TreeId,
                    SessionId: SessionId).Write(message);
                request.Body.CopyTo(message[Smb2Header.Size..]);
                observer?.Invoke(message[..(Smb2Header.Size + request.Body.Length)]);
                if (compound.MustBeSigned && request.Command != Smb2Command.Negotiate)
                {
                    _signer!.Sign(message);
                }

                compound.MessageIds[i] = messageId;
                compound.Commands[i] = request.Command;
                at += length;
            }

            if (encrypt)
            {
                _cipher!.Encrypt(plain, SessionId, output[4..]);
            }

            output[0] = 0;
            output[1] = (byte)(frameLength >> 16);
            output[2] = (byte)(frameLength >> 8);
            output[3] = (byte)frameLength;
            lock (_pending)
            {
                for (var i = 0; i < requests.Count; i++)
                {
                    _pending[compound.MessageIds[i]] = new PendingMessage(compound, i);
                }
            }

            _outputLength += 4 + frameLength;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Every message of a compound but the last is padded to 8 bytes (MS-SMB2 §3.2.4.1.4).</summary>
    private static int PaddedLength(IReadOnlyList<Smb2Request> requests, int index)
    {
        var length = Smb2Header.Size + requests[index].Body.Length;
        return index < requests.Count - 1 ? (length + 7) & ~7 : length;
    }

    private void EnsureOutput(int more)
    {
        if (_outputLength + more <= _output.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_output.Length * 2, _outputLength + more));
        _output.AsSpan(0, _outputLength).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_output);
        _output = larger;
    }

    /// <summary>
    /// Writes what is queued until nothing is: each pass swaps the filled buffer for the spare one, so callers keep
    /// framing while the socket writes. A failed write fails the connection and with it every waiting request.
    /// </summary>
    /// <remarks>
    /// The socket's blocking send (see <see cref="ConnectBlockingAsync"/>): it returns as soon as the kernel holds the
    /// bytes, and blocks only while the server's window is full; the watchdog's <see cref="Fail"/> closes the socket,
    /// which ends such a send.
    /// </remarks>
    private void Flush()
    {
        try
        {
            while (true)
            {
                byte[] writing;
                int length;
                lock (_sendLock)
                {
                    if (_outputLength == 0 || _failure is not null)
                    {
                        _flushing = false;
                        return;
                    }

                    writing = _output;
                    length = _outputLength;
                    _output = _spare;
                    _outputLength = 0;
                    _spare = writing;
                }

                var written = 0;
                while (written < length)
                {
                    written += _socket.Send(writing.AsSpan(written, length - written), SocketFlags.None);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            lock (_sendLock)
            {
                _flushing = false;
            }

            Fail(ex);
        }
    }

    /// <summary>
    /// Gives up on a compound whose caller cancelled: its message ids are forgotten (a late response only returns
    /// credits) and, for each message the server acknowledged with STATUS_PENDING, a CANCEL names its async id
    /// (MS-SMB2 §3.2.4.24) so that the server stops the work.
    /// </summary>
    private void Forget(PendingCompound compound, bool sendCancel)
    {
        List<(ulong MessageId, ulong AsyncId)>? cancels = null;
        lock (_pending)
        {
            for (var i = 0; i < compound.MessageIds.Length; i++)
            {
                if (_pending.Remove(compound.MessageIds[i]) && sendCancel && compound.AsyncIds[i] != 0)
                {
                    (cancels ??= []).Add((compound.MessageIds[i], compound.AsyncIds[i]));
                }
            }
        }

        if (cancels is null || !IsHealthy)
        {
            return;
        }

        bool flush;
        lock (_sendLock)
        {
            if (_failure is not null)
            {
                return;
            }

            foreach (var (messageId, asyncId) in cancels)
            {
                FrameCancel(messageId, asyncId, compound.Encrypted);
            }

            flush = !_flushing;
            _flushing = true;
        }

        if (flush)
        {
            Flush();
        }
    }

    /// <summary>An async CANCEL (MS-SMB2 §2.2.30): no credit charged, none granted, no response expected.</summary>
    private void FrameCancel(ulong messageId, ulong asyncId, bool encrypt)
    {
        const int length = Smb2Header.Size + 4;
        Span<byte> message = stackalloc byte[length];
        message.Clear();
        new Smb2Header(0, 0, Smb2Command.Cancel, 0, Smb2Flags.AsyncCommand, 0, messageId, 0, 0, SessionId).Write(message);
        Wire.Put64(message, 32, asyncId);
        Wire.Put16(message, Smb2Header.Size, 4);
        if (!encrypt && _signer is not null)
        {
            _signer.Sign(message);
        }

        var frameLength = length + (encrypt ? MessageCipher.TransformHeaderSize : 0);
        EnsureOutput(4 + frameLength);
        var output = _output.AsSpan(_outputLength, 4 + frameLength);
        if (encrypt)
        {
            _cipher!.Encrypt(message, SessionId, output[4..]);
        }
        else
        {
            message.CopyTo(output[4..]);
        }

        output[0] = 0;
        output[1] = 0;
        output[2] = (byte)(frameLength >> 8);
        output[3] = (byte)frameLength;
        _outputLength += 4 + frameLength;
    }

    /// <summary>
    /// Runs every quarter of the request timeout: a request with no answer (final or interim) for longer than the
    /// timeout means the server or the path to it is gone, so the connection is failed and the pool replaces it.
    /// A request that waited that long for credits while nothing was outstanding will never get any: the server
    /// granted too few (MS-SMB2 §3.3.1.2 requires it to leave the client at least one), so that fails it too.
    /// </summary>
    private void Watchdog()
    {
        var now = _time.GetTimestamp();
        var stalled = false;
        bool idle;
        lock (_pending)
        {
            idle = _pending.Count == 0;
            foreach (var pending in _pending.Values)
            {
                if (_time.GetElapsedTime(Volatile.Read(ref pending.Compound.LastActivity), now) > _requestTimeout)
                {
                    stalled = true;
                    break;
                }
            }
        }

        if (stalled)
        {
            Fail(new TimeoutException($"The server did not answer within {_requestTimeout.TotalSeconds:0.#} s."));
        }
        else if (idle && _credits.LongestWait > _requestTimeout)
        {
            Fail(new SmbProtocolException("The server granted no credits for the next request while none was outstanding."));
        }
    }

    /// <summary>Takes the connection out of service (its session or tree is gone); the pool opens a fresh one.</summary>
    public void Abandon(string reason) => Fail(new IOException(reason));

    private void Fail(Exception reason)
    {
        // Under the send lock, so that no request is framed (and registered) after the pending ones are failed.
        lock (_sendLock)
        {
            if (Interlocked.CompareExchange(ref _failure, reason, null) is not null)
            {
                return;
            }
        }

        _watchdog.Dispose();
        _socket.Close();
        var failure = Failure();
        _credits.Fail(failure);
        List<PendingCompound> waiting;
        lock (_pending)
        {
            waiting = [.. _pending.Values.Select(p => p.Compound).Distinct()];
            _pending.Clear();
        }

        waiting.ForEach(c => c.TryFail(failure));
    }

    private SmbConnectionException Failure()
    {
        var reason = Volatile.Read(ref _failure);
        return reason switch
        {
            SmbProtocolException protocol => new SmbConnectionException("The server broke the SMB protocol: " + protocol.Message, reason, isTimeout: false),
            TimeoutException => new SmbConnectionException(reason.Message, reason, isTimeout: true),
            _ => new SmbConnectionException("The connection to the server dropped.", reason, isTimeout: false),
        };
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is not null)
        {
            throw Failure();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(SmbConnection)));
        await _readLoop.ConfigureAwait(false);

        // The keys go only once no caller can be framing under the send lock (framing checks the failure first) and the
        // reader loop has ended.
        lock (_sendLock)
        {
            _cipher?.Dispose();
            _signer?.Dispose();
        }

        _socket.Dispose();
    }

    /// <summary>One message of a compound awaiting its final response.</summary>
    private readonly record struct PendingMessage(PendingCompound Compound, int Index);
}
