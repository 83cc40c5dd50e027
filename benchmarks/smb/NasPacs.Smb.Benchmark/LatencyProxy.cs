using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// A TCP proxy on 127.0.0.1 that holds every chunk for <c>delay</c> in each direction before passing it on
/// (netem does not exist in this kernel). Order is kept; each direction's sender thread sleeps until the oldest
/// chunk is due (<see cref="PreciseSleep"/>), so sub-millisecond delays hold without spinning.
/// </summary>
internal sealed class LatencyProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly long _delayTicks;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];

    public LatencyProxy(IPEndPoint target, TimeSpan delay)
    {
        _target = target;
        _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var server = new TcpClient { NoDelay = true };
            await server.ConnectAsync(_target);
            client.NoDelay = true;
            lock (_clients)
            {
                _clients.Add(client);
                _clients.Add(server);
            }

            Pipe(client.GetStream(), server.GetStream());
            Pipe(server.GetStream(), client.GetStream());
        }
    }

    private void Pipe(NetworkStream from, NetworkStream to)
    {
        var queue = new BlockingCollection<(long Due, byte[] Data)>();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[256 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReadAsync(buffer, _stop.Token);
                    if (read == 0)
                    {
                        break;
                    }

                    queue.Add((Stopwatch.GetTimestamp() + _delayTicks, buffer[..read]));
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
            }

            queue.CompleteAdding();
        });

        new Thread(() =>
        {
            try
            {
                PreciseSleep.UseFineTimerSlack();
                foreach (var (due, data) in queue.GetConsumingEnumerable())
                {
                    PreciseSleep.Until(due);
                    to.Write(data);
                }

                to.Socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
            {
            }
        })
        { IsBackground = true }.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients)
        {
            _clients.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
