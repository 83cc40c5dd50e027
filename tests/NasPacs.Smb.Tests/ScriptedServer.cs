using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NasPacs.Smb.Connection;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Tests;

/// <summary>
/// The far end of one <see cref="SmbConnection"/> on loopback, driven step by step by a test: it reads the client's
/// frames and writes exactly the responses the test scripts (interim replies, few credits) — what a real Samba
/// cannot be made to do on demand.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private readonly Socket _server;
    private readonly byte[] _prefix = new byte[4];

    private ScriptedServer(Socket server, SmbConnection client)
    {
        _server = server;
        Client = client;
    }

    public SmbConnection Client { get; }

    public static async Task<ScriptedServer> StartAsync(TimeSpan requestTimeout, int targetCredits = 512)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptSocketAsync();
        await socket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return new ScriptedServer(await accept, SmbConnection.Attach(socket, requestTimeout, TimeProvider.System, targetCredits));
    }

    /// <summary>Reads one frame from the client and returns its messages (headers parsed, bytes kept).</summary>
    public async Task<IReadOnlyList<(Smb2Header Header, byte[] Message)>> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await ReadExactlyAsync(_prefix, cancel.Token);
        var frame = new byte[(_prefix[1] << 16) | (_prefix[2] << 8) | _prefix[3]];
        await ReadExactlyAsync(frame, cancel.Token);
        var messages = new List<(Smb2Header, byte[])>();
        for (var at = 0; ;)
        {
            var header = Smb2Header.Read(frame.AsSpan(at));
            var length = header.NextCommand == 0 ? frame.Length - at : (int)header.NextCommand;
            messages.Add((header, frame[at..(at + length)]));
            if (header.NextCommand == 0)
            {
                return messages;
            }

            at += length;
        }
    }

    /// <summary>True when the client sends nothing within <paramref name="wait"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan wait)
    {
        using var cancel = new CancellationTokenSource(wait);
        try
        {
            await _server.ReceiveAsync(new byte[1].AsMemory(), SocketFlags.Peek, cancel.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>Sends one response message: a final one, or with <paramref name="asyncId"/> the async form (interim or final).</summary>
    public async Task RespondAsync(Smb2Header request, uint status, ushort credits, byte[] body, ulong asyncId = 0)
    {
        var message = new byte[Smb2Header.Size + body.Length];
        var flags = Smb2Flags.ServerToRedirector | (asyncId != 0 ? Smb2Flags.AsyncCommand : Smb2Flags.None);
        new Smb2Header(0, status, request.Command, credits, flags, 0, request.MessageId, 0, request.TreeId, request.SessionId).Write(message);
        if (asyncId != 0)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(32), asyncId);
        }

        body.CopyTo(message, Smb2Header.Size);
        var frame = new byte[4 + message.Length];
        frame[2] = (byte)(message.Length >> 8);
        frame[3] = (byte)message.Length;
        message.CopyTo(frame, 4);
        await _server.SendAsync(frame);
    }

    /// <summary>The body of an error response (MS-SMB2 §2.2.2), also what an interim STATUS_PENDING carries.</summary>
    public static byte[] ErrorBody() => [9, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A CLOSE request the client can send without a session: its body is all the scripted server checks.</summary>
    public static Smb2Request CloseRequest() => new(Smb2Command.Close, Close.BuildRequest(new FileId(1, 2)));

    /// <summary>A CLOSE response body (MS-SMB2 §2.2.16).</summary>
    public static byte[] CloseBody()
    {
        var body = new byte[60];
        body[0] = 60;
        return body;
    }

    private async Task ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await _server.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException("The client closed the connection.");
            }

            read += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        _server.Dispose();
    }
}
