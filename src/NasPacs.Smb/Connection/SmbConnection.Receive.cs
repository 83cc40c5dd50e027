using System.Buffers;
using System.Net.Sockets;
using NasPacs.Smb.Crypto;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>The reader loop: frames cut out of large socket reads, decrypted, verified and dispatched by message id.</summary>
internal sealed partial class SmbConnection
{
    private const int ReceiveBufferSize = 128 << 10;

    /// <summary>
    /// Reads as much as the socket holds into one buffer and dispatches every complete frame in it, so many small
    /// responses cost one receive call. A frame longer than the buffer gets a larger one for as long as it needs it.
    /// </summary>
    /// <remarks>
    /// Runs on its own thread with the socket's blocking receive: a response wakes this thread alone, where an
    /// asynchronous receive woke the runtime's socket event thread and then a pool thread for the continuation.
    /// Closing the socket (<see cref="Fail"/>) ends a receive in progress.
    /// </remarks>
    private void ReadLoop()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                var needed = 4;
                while (end - start >= 4)
                {
                    var length = FrameLength(buffer.AsSpan(start, 4));
                    needed = 4 + length;
                    if (end - start < needed)
                    {
                        break;
                    }

                    ProcessFrame(buffer.AsSpan(start + 4, length));
                    start += needed;
                    needed = 4;
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (buffer.Length - start < needed || buffer.Length - end < 4096)
                {
                    // Move the partial frame to the front, into a larger buffer when it would not fit.
                    var target = needed > buffer.Length ? ArrayPool<byte>.Shared.Rent(needed) : buffer;
                    buffer.AsSpan(start, end - start).CopyTo(target);
                    if (target != buffer)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = target;
                    }

                    end -= start;
                    start = 0;
                }

                var read = _socket.Receive(buffer.AsSpan(end), SocketFlags.None);
                if (read == 0)
                {
                    throw new EndOfStreamException("The server closed the connection.");
                }

                end += read;
            }
        }
        catch (Exception ex)
        {
            // Whatever ends the loop (a dropped socket, a protocol violation, or a fault of ours) must fail the
            // connection: a reader that stopped silently would leave every waiting request hanging.
            Fail(ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The length after the 4-byte direct-TCP prefix (MS-SMB2 §2.1), checked before any buffer is sized by it.</summary>
    private int FrameLength(ReadOnlySpan<byte> prefix)
    {
        var length = (prefix[1] << 16) | (prefix[2] << 8) | prefix[3];
        if (prefix[0] != 0 || length < Smb2Header.Size || length > Volatile.Read(ref _frameLimit))
        {
            throw new SmbProtocolException($"The server sent a frame of {length} bytes (type {prefix[0]}), outside the allowed range.");
        }

        return length;
    }

    /// <summary>
    /// Dispatches each message of a frame straight from the receive buffer (or, encrypted, from a pooled buffer it is
    /// decrypted into); only what a caller keeps is copied out (<see cref="Dispatch"/>).
    /// </summary>
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

    /// <remarks>
    /// The final response is copied into its own array for the caller, except a successful READ whose caller gave a
    /// destination: its data is validated and copied there, under the lock that a cancelling caller takes before it
    /// returns (so the buffer is never written after its owner gave up on it), and only its header and body are kept.
    /// </remarks>
    private void Dispatch(Smb2Header header, ReadOnlySpan<byte> message, bool encrypted)
    {
        _credits.Release(header.Credits);
        PendingMessage pending;
        lock (_pending)
        {
            if (!_pending.TryGetValue(header.MessageId, out pending))
            {
                return; // An oplock break (id 0xFFFF...) or a request already given up on.
            }
        }

        var compound = pending.Compound;
        var command = compound.Commands[pending.Index];
        var interim = header.Status == NtStatus.Pending && header.IsAsync;
        if (compound.Encrypted && !encrypted)
        {
            throw new SmbProtocolException("The server answered an encrypted request in clear text.");
        }

        // SESSION_SETUP is verified by the handshake, which alone knows the new key when the final response arrives.
        if (!encrypted && command != Smb2Command.SessionSetup && !interim)
        {
            if (header.IsSigned && (_signer is null || !_signer.Verify(message)))
            {
                throw new SmbProtocolException($"The signature of a {header.Command} response is wrong.");
            }

            if (!header.IsSigned && compound.MustBeSigned)
            {
                throw new SmbProtocolException($"The server did not sign a {header.Command} response on a signed session.");
            }
        }

        if (interim)
        {
            // STATUS_PENDING: the final response comes later with the same message id; its async id is what a CANCEL
            // names (MS-SMB2 §3.2.5.1.5, §3.2.4.24).
            compound.AsyncIds[pending.Index] = header.AsyncId;
            Volatile.Write(ref compound.LastActivity, _time.GetTimestamp());
            return;
        }

        if (header.Command != command)
        {
            throw new SmbProtocolException($"The server answered a {command} request with a {header.Command} response.");
        }

        Smb2Response? response = null;
        var roundTrip = _time.GetElapsedTime(compound.SentAt);
        lock (_pending)
        {
            if (_pending.ContainsKey(header.MessageId))
            {
                if (pending.Index == compound.ReadIndex && header.Status == NtStatus.Success)
                {
                    // A malformed READ throws here with the request still pending, so the connection's failure reaches its caller.
                    var data = Read.ParseResponse(message, compound.ReadDestination.Length);
                    data.CopyTo(compound.ReadDestination.Span);
                    response = new Smb2Response(header, message[..Math.Min(message.Length, Read.ResponseHeaderSize)].ToArray(), roundTrip, data.Length);
                }
                else
                {
                    // Nothing reads a CLOSE response past its header (status, credits), so its bytes are not copied.
                    response = new Smb2Response(header, command == Smb2Command.Close ? [] : message.ToArray(), roundTrip);
                }

                _pending.Remove(header.MessageId);
            }
        }

        if (response is not null)
        {
            compound.Deliver(pending.Index, response);
        }
    }
}
