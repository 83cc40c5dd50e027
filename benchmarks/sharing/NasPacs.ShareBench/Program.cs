using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// Ceilings for issue #5's download benchmark. One process serves a folder's *.dcm files (sorted by name, concatenated) as
// one HTTP/1.1 response three ways, so the same client (curl -o /dev/null) can fetch each:
//   http://127.0.0.1:<port>/      raw socket, Socket.SendFile per file (the kernel's sendfile: no user-space copy)
//   http://127.0.0.1:<port+1>/    raw socket, read(1 MiB) + send: the least a user-space copier can do
//   http://127.0.0.1:<port+2>/plain  Kestrel, files read into the response's PipeWriter (GetMemory/Advance), no zip, no CRC
//
//   naspacs-sharebench serve <folder> <port>
//   naspacs-sharebench loopback <bytes>     (two threads of this process, 1 MiB sends and receives, no files, no client process)
if (args is ["loopback", var size])
{
    Loopback.Run(long.Parse(size, CultureInfo.InvariantCulture));
    return 0;
}

if (args is not ["serve", var folder, var portText])
{
    Console.Error.WriteLine("usage: naspacs-sharebench serve <folder> <port> | loopback <bytes>");
    return 2;
}

var files = Directory.GetFiles(folder, "*.dcm").Order(StringComparer.Ordinal).ToArray();
var length = files.Sum(f => new FileInfo(f).Length);
var port = int.Parse(portText, CultureInfo.InvariantCulture);
_ = Task.Run(() => RawServer.Run(port, files, length, sendFile: true));
_ = Task.Run(() => RawServer.Run(port + 1, files, length, sendFile: false));

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port + 2}");
var app = builder.Build();
app.MapGet("/plain", async (HttpContext context) =>
{
    // Chunked like the zip (no Content-Length); one large segment per read, flushed without waiting per chunk.
    var writer = context.Response.BodyWriter;
    foreach (var path in files)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long offset = 0;
        while (true)
        {
            var memory = writer.GetMemory(1024 * 1024);
            var read = RandomAccess.Read(handle, memory.Span, offset);
            if (read == 0)
            {
                break;
            }

            offset += read;
            writer.Advance(read);
            var flushed = await writer.FlushAsync(context.RequestAborted);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
});
app.Run();
return 0;

internal static class RawServer
{
    public static void Run(int port, string[] files, long length, bool sendFile)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(16);
        var header = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
        var buffer = new byte[1024 * 1024];
        while (true)
        {
            using var client = listener.Accept();
            try
            {
                ReadRequest(client, buffer);
                client.Send(header);
                foreach (var path in files)
                {
                    if (sendFile)
                    {
                        client.SendFile(path);
                        continue;
                    }

                    using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
                    long offset = 0;
                    int read;
                    while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
                    {
                        offset += read;
                        client.Send(buffer.AsSpan(0, read));
                    }
                }

                client.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException)
            {
                // The client went away; wait for the next one.
            }
        }
    }

    private static void ReadRequest(Socket client, byte[] buffer)
    {
        var seen = 0;
        while (seen < 4 || !buffer.AsSpan(0, seen).EndsWith("\r\n\r\n"u8))
        {
            var read = client.Receive(buffer.AsSpan(seen, Math.Min(8192, buffer.Length - seen)));
            if (read == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }

            seen += read;
        }
    }
}

internal static class Loopback
{
    public static void Run(long bytes)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var receiver = new Thread(() =>
        {
            using var peer = listener.Accept();
            var buffer = new byte[1024 * 1024];
            while (peer.Receive(buffer) > 0)
            {
            }
        });
        receiver.Start();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sender.Connect(listener.LocalEndPoint!);
        var data = new byte[1024 * 1024];
        Random.Shared.NextBytes(data);
        var stopwatch = Stopwatch.StartNew();
        for (long sent = 0; sent < bytes; sent += data.Length)
        {
            sender.Send(data.AsSpan(0, (int)Math.Min(data.Length, bytes - sent)));
        }

        sender.Shutdown(SocketShutdown.Send);
        receiver.Join();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F3},{bytes / 1e6 / seconds:F1}"));
    }
}
