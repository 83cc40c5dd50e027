using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// A TCP proxy on 127.0.0.1 that holds every chunk for <c>delay</c> in each direction before passing it on
/// (netem does not exist in this kernel). A chunk is what one receive returns; it is stamped when it is read and
/// sent no earlier than its stamp plus the delay, in order.
/// </summary>
/// <remarks>
/// The proxy stands for the wire, whose CPU a real network does not take from the hosts, so it is made as cheap as
/// a delaying proxy can be: one thread runs every connection with <c>ppoll</c> (nanosecond timeout, 1 ns timer
/// slack) over non-blocking sockets; each direction's bytes sit in one buffer, so the chunks due at a wake-up leave
/// in one send; nothing is allocated per chunk; no thread-pool work, no hand-off between threads. Earlier versions
/// (a reader task and a sleeping sender thread per direction, a copy per chunk) cost 88–113 µs of CPU per header
/// read. A destination that does not take the bytes (full window) stops that direction's reading, as TCP would.
/// </remarks>
internal sealed class LatencyProxy : IDisposable
{
    /// <summary>Bytes held per direction; a full buffer stops reading that direction until the destination takes some.</summary>
    private const int BufferSize = 4 << 20;

    /// <summary>Longest sleep with nothing due, so that <see cref="Dispose"/> is seen.</summary>
    private const long IdleWakeNanoseconds = 50_000_000;

    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly IPEndPoint _target;
    private readonly long _delayTicks;
    private readonly List<Direction> _directions = [];
    private readonly Thread _loop;
    private volatile bool _stop;

    public LatencyProxy(IPEndPoint target, TimeSpan delay)
    {
        _target = target;
        _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        _listener.Blocking = false;
        _loop = new Thread(Run) { IsBackground = true, Name = "latency proxy" };
        _loop.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    private void Run()
    {
        LinuxPoll.UseFineTimerSlack();
        var polls = new LinuxPoll.PollFd[16];
        while (!_stop)
        {
            // Wait for a readable socket, a destination that takes bytes again, or the next chunk's due time.
            var count = 1 + (_directions.Count * 2);
            if (polls.Length < count)
            {
                polls = new LinuxPoll.PollFd[count * 2];
            }

            polls[0] = new LinuxPoll.PollFd(_listener, LinuxPoll.In);
            var nextDue = long.MaxValue;
            for (var i = 0; i < _directions.Count; i++)
            {
                var d = _directions[i];
                polls[1 + (2 * i)] = new LinuxPoll.PollFd(d.From, d.CanRead ? LinuxPoll.In : (short)0);
                polls[2 + (2 * i)] = new LinuxPoll.PollFd(d.To, d.Blocked ? LinuxPoll.Out : (short)0);
                if (!d.Blocked && d.NextDue < nextDue)
                {
                    nextDue = d.NextDue;
                }
            }

            var wait = IdleWakeNanoseconds;
            if (nextDue != long.MaxValue)
            {
                wait = Math.Min(wait, (long)((nextDue - Stopwatch.GetTimestamp()) * (1e9 / Stopwatch.Frequency)));
            }

            if (wait > 0)
            {
                LinuxPoll.Wait(polls.AsSpan(0, count), wait);
            }

            // Due bytes first, so that reading never holds back what is due; then everything readable, stamped now.
            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < _directions.Count; i++)
            {
                _directions[i].SendDue(now);
            }

            for (var i = 0; i < _directions.Count; i++)
            {
                if ((polls[1 + (2 * i)].ReturnedEvents & (LinuxPoll.In | LinuxPoll.Hangup | LinuxPoll.Error)) != 0)
                {
                    _directions[i].Receive(Stopwatch.GetTimestamp() + _delayTicks);
                }
            }

            if ((polls[0].ReturnedEvents & LinuxPoll.In) != 0)
            {
                Accept();
            }

            RemoveFinished();
        }
    }

    private void Accept()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }

            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            server.Connect(_target);
            client.NoDelay = true;
            client.Blocking = false;
            server.Blocking = false;
            var up = new Direction(client, server);
            var down = new Direction(server, client);
            up.Reverse = down;
            down.Reverse = up;
            _directions.Add(up);
            _directions.Add(down);
        }
    }

    /// <summary>A connection (two directions, added together) leaves when both are done; its sockets close then.</summary>
    private void RemoveFinished()
    {
        for (var i = _directions.Count - 2; i >= 0; i -= 2)
        {
            var up = _directions[i];
            if (up.Done && up.Reverse!.Done)
            {
                _directions.RemoveRange(i, 2);
                up.From.Dispose();
                up.To.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _loop.Join();
        foreach (var d in _directions)
        {
            d.From.Dispose(); // each socket is the source of one direction
        }

        _listener.Dispose();
    }

    /// <summary>
    /// One direction of one connection: bytes read from <see cref="From"/> and not yet written to <see cref="To"/>, in
    /// one buffer (<c>_sent</c> ≤ <c>_received</c>), with each chunk's due time and end offset in arrival order.
    /// </summary>
    private sealed class Direction(Socket from, Socket to)
    {
        private readonly byte[] _buffer = new byte[BufferSize];
        private readonly Queue<(long Due, int End)> _chunks = new();
        private int _sent;
        private int _received;
        private bool _endOfStream;

        public Socket From { get; } = from;

        public Socket To { get; } = to;

        public Direction? Reverse { get; set; }

        /// <summary>The destination's window is full: wait until it can take bytes again.</summary>
        public bool Blocked { get; private set; }

        /// <summary>Finished: the source ended and everything was passed on, or either socket failed.</summary>
        public bool Done { get; private set; }

        public bool CanRead => !_endOfStream && !Done && (_received < _buffer.Length || _sent > 0);

        public long NextDue => _chunks.Count > 0 ? _chunks.Peek().Due : long.MaxValue;

        /// <summary>Reads what the source holds (as far as the buffer allows) as one chunk due at <paramref name="due"/>.</summary>
        public void Receive(long due)
        {
            if (!CanRead)
            {
                return;
            }

            if (_sent == _received)
            {
                _sent = _received = 0;
            }
            else if (_received == _buffer.Length && _sent > 0)
            {
                Compact();
            }

            var read = From.Receive(_buffer, _received, _buffer.Length - _received, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success)
            {
                Fail();
                return;
            }

            if (read == 0)
            {
                _endOfStream = true;
                _chunks.Enqueue((due, _received)); // An empty chunk marks where the stream ends, after the delay too.
                return;
            }

            _received += read;
            _chunks.Enqueue((due, _received));
        }

        /// <summary>Writes every chunk due by <paramref name="now"/> in one send (more only when the window fills).</summary>
        public void SendDue(long now)
        {
            if (Done || _chunks.Count == 0 || _chunks.Peek().Due > now)
            {
                return;
            }

            var end = _sent;
            foreach (var chunk in _chunks)
            {
                if (chunk.Due > now)
                {
                    break;
                }

                end = chunk.End;
            }

            Blocked = false;
            while (_sent < end)
            {
                var written = To.Send(_buffer, _sent, end - _sent, SocketFlags.None, out var error);
                if (error == SocketError.WouldBlock)
                {
                    // The rest is due already: wait until the destination takes bytes again (POLLOUT).
                    Blocked = true;
                    break;
                }

                if (error != SocketError.Success)
                {
                    Fail();
                    return;
                }

                _sent += written;
            }

            while (_chunks.Count > 0 && _chunks.Peek().Due <= now && _chunks.Peek().End <= _sent)
            {
                _chunks.Dequeue();
            }

            if (_endOfStream && _chunks.Count == 0)
            {
                try
                {
                    To.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The destination is gone already.
                }

                Done = true;
            }
        }

        private void Compact()
        {
            Buffer.BlockCopy(_buffer, _sent, _buffer, 0, _received - _sent);
            var shift = _sent;
            var count = _chunks.Count;
            for (var i = 0; i < count; i++)
            {
                var (due, end) = _chunks.Dequeue();
                _chunks.Enqueue((due, end - shift));
            }

            _received -= shift;
            _sent = 0;
        }

        private void Fail()
        {
            Done = true;
            Reverse!.Done = true;
        }
    }
}
