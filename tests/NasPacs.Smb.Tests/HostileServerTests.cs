using System.Net;
using System.Net.Sockets;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;

namespace NasPacs.Smb.Tests;

/// <summary>A server that answers with garbage, absurd lengths or silence must not crash, hang or exhaust the client.</summary>
public sealed class HostileServerTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;

    public HostileServerTests() => _listener.Start();

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    [Fact]
    public async Task ReadPrefixAsync_FrameLengthHuge_FailsWithoutAllocatingIt()
    {
        Serve([0x00, 0xFF, 0xFF, 0xFF]);

        var error = await ReadAsync();

        Assert.Equal(ErrorCategory.Network, error.Category);
        Assert.Contains("protocol", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadPrefixAsync_GarbageFrame_FailsWithProtocolError()
    {
        var garbage = new byte[200];
        new Random(3).NextBytes(garbage);
        Serve([0x00, 0x00, 0x00, 200, .. garbage]);

        var error = await ReadAsync();

        Assert.Equal(ErrorCategory.Network, error.Category);
        Assert.Contains("protocol", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ReadPrefixAsync_NegotiateResponseWithBadOffsets_FailsWithProtocolError()
    {
        var response = ResponseSamples.Negotiate311();
        response.AsSpan(24, 8).Clear(); // Message id 0: the client's NEGOTIATE.
        response[64 + 60] = 0xF0; // NegotiateContextOffset far beyond the message.
        response[64 + 61] = 0xFF;
        Serve([0x00, 0x00, (byte)(response.Length >> 8), (byte)response.Length, .. response]);

        var error = await ReadAsync();

        Assert.Contains("protocol", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerSilent_TimesOut()
    {
        Serve([]);

        var error = await ReadAsync();

        Assert.Equal(ErrorCodes.Timeout, error.Code);
        Assert.True(error.IsTransient);
    }

    private async Task<FileSourceException> ReadAsync()
    {
        var options = new SmbOptions { Host = "127.0.0.1", Port = Port, Share = "share", User = "u", Password = "p", RetryCount = 0, ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using var source = new SmbFileSourceFactory().Create(options);
        return await Assert.ThrowsAsync<FileSourceException>(async () => await source.ReadPrefixAsync("a", new byte[10]).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Accepts connections; answers the first request on each with <paramref name="reply"/> and then stays silent.</summary>
    private void Serve(byte[] reply)
    {
        _serving = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[4096];
                        _ = await stream.ReadAsync(buffer, _stop.Token);
                        if (reply.Length > 0)
                        {
                            await stream.WriteAsync(reply, _stop.Token);
                        }

                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                });
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_serving is not null)
        {
            await _serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }
}
