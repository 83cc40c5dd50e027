using System.Buffers;
using System.Collections.Concurrent;
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
    private const int TargetCredits = 512;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, PendingResponse> _pending = new();
    private readonly CreditGate _credits = new(1);
    private readonly TimeSpan _requestTimeout;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _closing = new();
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

    private SmbConnection(Socket socket, TimeSpan requestTimeout, TimeProvider time)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _requestTimeout = requestTimeout;
        _time = time;
        _readLoop = Task.Run(ReadLoopAsync);
        var period = requestTimeout / 4;
        _watchdog = time.CreateTimer(_ => Watchdog(), null, period, period);
    }

    /// <summary>Observes the exact bytes of a request as sent (for the pre-authentication hash).</summary>
    public delegate void MessageObserver(ReadOnlySpan<byte> message);

    public ulong SessionId { get; private set; }

    public uint TreeId { get; private set; }

    public bool IsHealthy => Volatile.Read(ref _failure) is null;

    public int InFlight => Volatile.Read(ref _inFlight);

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
    public async Task<Smb2Response[]> SendAsync(IReadOnlyList<Smb2Request> requests, bool related, CancellationToken cancellationToken, MessageObserver? observer = null)
    {
        ThrowIfFailed();
        var charges = new int[requests.Count];
        var totalCharge = 0;
        for (var i = 0; i < charges.Length; i++)
        {
            charges[i] = _multiCredit ? requests[i].CreditCharge : 1;
            totalCharge += charges[i];
        }

        await _credits.WaitAsync(totalCharge, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _inFlight);
        var pending = new PendingResponse[requests.Count];
        try
        {
            try
            {
                await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _credits.Release(totalCharge);
                throw;
            }

            try
            {
                ThrowIfFailed();
                await WriteFrameAsync(requests, charges, related, pending, observer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            var sent = _time.GetTimestamp();
            var responses = await AwaitResponsesAsync(pending, cancellationToken).ConfigureAwait(false);
            RecordRoundTrip(_time.GetElapsedTime(sent));
            return responses;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            foreach (var p in pending)
            {
                if (p is not null)
                {
                    _pending.TryRemove(p.MessageId, out _);
                }
            }
        }
    }

    private async Task WriteFrameAsync(IReadOnlyList<Smb2Request> requests, int[] charges, bool related, PendingResponse[] pending, MessageObserver? observer, CancellationToken cancellationToken)
    {
        var lengths = new int[requests.Count];
        var plainLength = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var length = Smb2Header.Size + requests[i].Body.Length;
            lengths[i] = i < requests.Count - 1 ? (length + 7) & ~7 : length;
            plainLength += lengths[i];
        }

        var encrypt = _encryptAll && _cipher is not null;
        var frameLength = plainLength + (encrypt ? MessageCipher.TransformHeaderSize : 0);
        var buffer = ArrayPool<byte>.Shared.Rent(4 + frameLength + plainLength);
        try
        {
            var plain = buffer.AsSpan(4 + frameLength, plainLength);
            plain.Clear();
            var at = 0;
            var requestCredits = (ushort)(_credits.Available < TargetCredits / 2 ? 64 : 0);
            for (var i = 0; i < requests.Count; i++)
            {
                var messageId = _nextMessageId;
                _nextMessageId += (ulong)charges[i];
                var request = requests[i];
                var message = plain.Slice(at, lengths[i]);
                new Smb2Header(
                    CreditCharge: (ushort)(_multiCredit ? charges[i] : 0),
                    Status: 0,
                    Command: request.Command,
                    Credits: (ushort)(charges[i] + requestCredits),
                    Flags: related && i > 0 ? Smb2Flags.RelatedOperations : Smb2Flags.None,
                    NextCommand: i < requests.Count - 1 ? (uint)lengths[i] : 0,
                    MessageId: messageId,
                    AsyncId: 0,
                    TreeId: TreeId,
                    SessionId: SessionId).Write(message);
                request.Body.CopyTo(message[Smb2Header.Size..]);
                observer?.Invoke(message[..(Smb2Header.Size + request.Body.Length)]);
                if (!encrypt && _signer is not null && request.Command != Smb2Command.Negotiate)
                {
                    _signer.Sign(message);
                }

                pending[i] = new PendingResponse(messageId, request.Command, mustBeSigned: !encrypt && _signer is not null, encrypted: encrypt, _time.GetTimestamp());
                _pending[messageId] = pending[i];
                at += lengths[i];
            }

            var frame = buffer.AsSpan(4, frameLength);
            if (encrypt)
            {
                _cipher!.Encrypt(plain, SessionId, frame);
            }
            else
            {
                plain.CopyTo(frame);
            }

            buffer[0] = 0;
            buffer[1] = (byte)(frameLength >> 16);
            buffer[2] = (byte)(frameLength >> 8);
            buffer[3] = (byte)frameLength;
            await _stream.WriteAsync(buffer.AsMemory(0, 4 + frameLength), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            Fail(ex);
            throw Failure();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Smb2Response[]> AwaitResponsesAsync(PendingResponse[] pending, CancellationToken cancellationToken)
    {
        // Timeouts are not per request: the watchdog fails the whole connection when any request stalls.
        var results = new Smb2Response[pending.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            var task = pending[i].Task;
            results[i] = cancellationToken.CanBeCanceled
                ? await task.WaitAsync(cancellationToken).ConfigureAwait(false)
                : await task.ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Runs every quarter of the request timeout: a request with no answer (final or interim) for longer than the
    /// timeout means the server or the path to it is gone, so the connection is failed and the pool replaces it.
    /// </summary>
    private void Watchdog()
    {
        var now = _time.GetTimestamp();
        foreach (var pending in _pending.Values)
        {
            if (_time.GetElapsedTime(Volatile.Read(ref pending.LastActivity), now) > _requestTimeout)
            {
                Fail(new TimeoutException($"The server did not answer within {_requestTimeout.TotalSeconds:0.#} s."));
                return;
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        var lengthPrefix = new byte[4];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(lengthPrefix, _closing.Token).ConfigureAwait(false);
                var length = (lengthPrefix[1] << 16) | (lengthPrefix[2] << 8) | lengthPrefix[3];
                if (lengthPrefix[0] != 0 || length < Smb2Header.Size || length > Volatile.Read(ref _frameLimit))
                {
                    throw new SmbProtocolException($"The server sent a frame of {length} bytes (type {lengthPrefix[0]}), outside the allowed range.");
                }

                var frame = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    await _stream.ReadExactlyAsync(frame.AsMemory(0, length), _closing.Token).ConfigureAwait(false);
                    ProcessFrame(frame.AsSpan(0, length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or SocketException or SmbProtocolException or OperationCanceledException or ObjectDisposedException)
        {
            Fail(ex);
        }
    }

    private void ProcessFrame(ReadOnlySpan<byte> frame)
    {
        var protocol = Wire.U32(frame, 0, "ProtocolId");
        if (protocol != MessageCipher.TransformProtocolId)
        {
            ProcessMessages(frame, encrypted: false);
            return;
        }

        if (_cipher is null)
        {
            throw new SmbProtocolException("The server sent an encrypted message on a session without encryption keys.");
        }

        var plain = ArrayPool<byte>.Shared.Rent(frame.Length);
        try
        {
            var length = _cipher.Decrypt(frame, SessionId, plain);
            ProcessMessages(plain.AsSpan(0, length), encrypted: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    private void ProcessMessages(ReadOnlySpan<byte> frame, bool encrypted)
    {
        var at = 0;
        while (true)
        {
            var rest = frame[at..];
            var header = Smb2Header.Read(rest);
            var length = rest.Length;
            if (header.NextCommand != 0)
            {
                if (header.NextCommand < Smb2Header.Size || header.NextCommand > (uint)rest.Length || header.NextCommand % 8 != 0)
                {
                    throw new SmbProtocolException($"A compounded response points to the next one at {header.NextCommand}, outside the frame.");
                }

                length = (int)header.NextCommand;
            }

            if (!header.IsResponse)
            {
                throw new SmbProtocolException("The server sent a request instead of a response.");
            }

            Dispatch(header, rest[..length], encrypted);
            if (header.NextCommand == 0)
            {
                return;
            }

            at += length;
        }
    }

    private void Dispatch(Smb2Header header, ReadOnlySpan<byte> message, bool encrypted)
    {
        _credits.Release(header.Credits);
        if (!_pending.TryGetValue(header.MessageId, out var pending))
        {
            return; // An oplock break (id 0xFFFF...) or a request already given up on.
        }

        var interim = header.Status == NtStatus.Pending && header.IsAsync;
        if (pending.Encrypted && !encrypted)
        {
            throw new SmbProtocolException("The server answered an encrypted request in clear text.");
        }

        // SESSION_SETUP is verified by the handshake, which alone knows the new key when the final response arrives.
        if (!encrypted && pending.Command != Smb2Command.SessionSetup && !interim)
        {
            if (header.IsSigned && (_signer is null || !_signer.Verify(message)))
            {
                throw new SmbProtocolException($"The signature of a {header.Command} response is wrong.");
            }

            if (!header.IsSigned && pending.MustBeSigned)
            {
                throw new SmbProtocolException($"The server did not sign a {header.Command} response on a signed session.");
            }
        }

        if (interim)
        {
            Volatile.Write(ref pending.LastActivity, _time.GetTimestamp());
            return; // STATUS_PENDING: the final response comes later with the same message id (MS-SMB2 §3.2.5.1.5).
        }

        if (header.Command != pending.Command)
        {
            throw new SmbProtocolException($"The server answered a {pending.Command} request with a {header.Command} response.");
        }

        if (_pending.TryRemove(header.MessageId, out _))
        {
            pending.Complete(new Smb2Response(header, message.ToArray()));
        }
    }

    /// <summary>Takes the connection out of service (its session or tree is gone); the pool opens a fresh one.</summary>
    public void Abandon(string reason) => Fail(new IOException(reason));

    private void Fail(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is not null)
        {
            return;
        }

        _closing.Cancel();
        _watchdog.Dispose();
        _socket.Close();
        var failure = Failure();
        _credits.Fail(failure);
        foreach (var pending in _pending.Values)
        {
            pending.Fail(failure);
        }

        _pending.Clear();
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
        try
        {
            await _readLoop.ConfigureAwait(false);
        }
        finally
        {
            _stream.Dispose();
            _cipher?.Dispose();
            _signer?.Dispose();

            // _writeLock and _closing are not disposed: a request racing with this disposal must meet the connection's
            // failure (and be retried on a fresh connection), not an ObjectDisposedException. Neither holds an OS handle
            // here (no wait handle is ever asked for, no timer is set).
        }
    }

    /// <summary>One request waiting for its final response.</summary>
    private sealed class PendingResponse(ulong messageId, Smb2Command command, bool mustBeSigned, bool encrypted, long sentAt)
    {
        private readonly TaskCompletionSource<Smb2Response> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When the request was sent or last acknowledged with STATUS_PENDING (a <see cref="TimeProvider"/> timestamp).</summary>
        public long LastActivity = sentAt;

        public ulong MessageId => messageId;

        public Smb2Command Command => command;

        public bool MustBeSigned => mustBeSigned;

        public bool Encrypted => encrypted;

        public Task<Smb2Response> Task => _completion.Task;

        public void Complete(Smb2Response response) => _completion.TrySetResult(response);

        public void Fail(Exception failure) => _completion.TrySetException(failure);
    }
}
