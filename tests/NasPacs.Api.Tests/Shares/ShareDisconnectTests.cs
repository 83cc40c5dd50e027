using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Files;
using NasPacs.Dicom;
using NasPacs.Enumeration;
using NasPacs.Testing;
using NasPacs.Testing.Dicom;

namespace NasPacs.Api.Tests.Shares;

/// <summary>
/// Issue #5: a recipient who closes the connection in the middle of a zip stops the NAS reads. The real server on
/// Kestrel (a real TCP connection that the client really closes), a real folder, and the file source of the root
/// wrapped so that the test can count what the server read from the NAS.
/// </summary>
public sealed class ShareDisconnectTests
{
    private const int FileCount = 8;
    private const int PixelBytes = 16 * 1024 * 1024;

    [Fact]
    public async Task Download_ClientClosesMidZip_ReadsStopAndEveryFileIsClosed()
    {
        using var nas = new TempFolder("naspacs-share-abort");
        WriteSeries(nas.Path);
        var seriesBytes = Directory.GetFiles(nas.Path).Sum(f => new FileInfo(f).Length);
        var reads = new ReadCounter();
        using var server = new ApiFactory(
            new()
            {
                ["NasPacs:Roots:big:Path"] = nas.Path,
                ["urls"] = "http://127.0.0.1:0",
            },
            services => reads.WrapLocalSources(services));
        var address = new Uri(server.StartKestrel().Single());
        using var admin = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = address };
        var csrf = await BrowserSession.SignInAsync(admin, "admin", server.AdminPassword);
        await admin.WaitForPhaseAsync("big", "completed");
        var seriesKey = (await admin.JsonAsync("/api/search?root=big")).GetProperty("items")[0].GetProperty("series_key").GetString()!;
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/shares") { Content = JsonContent.Create(new { root = "big", series_key = seriesKey }) };
        create.Headers.Add(BrowserSession.CsrfHeader, csrf);
        using var created = await admin.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = new Uri((await created.BodyAsync()).GetProperty("url").GetString()!);

        // A recipient's client: sends the download request, takes the first 256 KiB of the zip, and closes the socket.
        var received = 0;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(address.Host, address.Port);
            var request = $"GET {link.AbsolutePath}/download HTTP/1.1\r\nHost: {address.Authority}\r\nUser-Agent: share-recipient/1.0\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var buffer = new byte[64 * 1024];
            while (received < 256 * 1024)
            {
                var read = await socket.ReceiveAsync(buffer);
                Assert.True(read > 0, "The server closed the connection before sending 256 KiB.");
                received += read;
            }

            socket.LingerState = new LingerOption(true, 0);
        }

        // Wait until the server has been quiet for a second: whatever it still reads after the close, it reads by then.
        var readBefore = -1L;
        for (var i = 0; i < 100 && (reads.Bytes != readBefore || reads.OpenStreams != 0); i++)
        {
            readBefore = reads.Bytes;
            await Task.Delay(i == 0 ? 200 : 1000);
        }

        Assert.True(reads.Bytes > 0, "The download read nothing from the NAS.");
        Assert.True(reads.Bytes < seriesBytes / 2, $"The server read {reads.Bytes:N0} of the series' {seriesBytes:N0} bytes after the recipient left.");
        Assert.Equal(0, reads.OpenStreams);
        Assert.True(reads.OpenedStreams < FileCount, $"{reads.OpenedStreams} of {FileCount} files were opened for a client that left after 256 KiB.");
    }

    private static void WriteSeries(string folder)
    {
        var study = "2.25." + Random.Shared.NextInt64(1, long.MaxValue);
        var series = study + ".1";
        var pixels = new byte[PixelBytes];
        Random.Shared.NextBytes(pixels);
        for (var i = 1; i <= FileCount; i++)
        {
            var file = new DicomFileBuilder()
                .AddString(DicomTags.SopClassUid, "UI", "1.2.840.10008.5.1.4.1.1.2")
                .AddString(DicomTags.SopInstanceUid, "UI", $"{series}.{i}")
                .AddString(DicomTags.StudyDate, "DA", "20261128")
                .AddString(DicomTags.Modality, "CS", "CT")
                .AddString(DicomTags.PatientName, "PN", "ABORT^TEST")
                .AddString(DicomTags.PatientId, "LO", "NP-ABORT-1")
                .AddString(DicomTags.StudyInstanceUid, "UI", study)
                .AddString(DicomTags.SeriesInstanceUid, "UI", series)
                .AddString(DicomTags.InstanceNumber, "IS", i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add(DicomTags.PixelData, "OW", pixels)
                .Build();
            File.WriteAllBytes(Path.Combine(folder, $"IM{i:D4}.dcm"), file);
        }
    }

    /// <summary>Counts the bytes the server reads through the whole-file streams of local roots, and the streams still open.</summary>
    private sealed class ReadCounter
    {
        private long _bytes;
        private int _open;
        private int _opened;

        public long Bytes => Interlocked.Read(ref _bytes);

        public int OpenStreams => Volatile.Read(ref _open);

        public int OpenedStreams => Volatile.Read(ref _opened);

        public void WrapLocalSources(IServiceCollection services)
        {
            var original = services.Last(d => d.ServiceType == typeof(ILocalFileSourceFactory));
            services.Remove(original);
            services.AddSingleton<ILocalFileSourceFactory>(provider =>
                new Factory((ILocalFileSourceFactory)ActivatorUtilities.CreateInstance(provider, original.ImplementationType!), this));
        }

        private sealed class Factory(ILocalFileSourceFactory inner, ReadCounter counter) : ILocalFileSourceFactory
        {
            public IFileSource Create(string rootPath) => new Source(inner.Create(rootPath), counter);
        }

        private sealed class Source(IFileSource inner, ReadCounter counter) : IFileSource
        {
            public string DisplayName => inner.DisplayName;

            public IAsyncEnumerable<FileEntry> EnumerateAsync(FileEnumerationOptions options, CancellationToken cancellationToken = default)
                => inner.EnumerateAsync(options, cancellationToken);

            public ValueTask<int> ReadPrefixAsync(string relativePath, Memory<byte> destination, CancellationToken cancellationToken = default)
                => inner.ReadPrefixAsync(relativePath, destination, cancellationToken);

            public async ValueTask<Stream> OpenReadAsync(string relativePath, CancellationToken cancellationToken = default)
            {
                var stream = await inner.OpenReadAsync(relativePath, cancellationToken);
                Interlocked.Increment(ref counter._open);
                Interlocked.Increment(ref counter._opened);
                return new CountingStream(stream, counter);
            }

            public ValueTask<FileEntry?> GetEntryAsync(string relativePath, CancellationToken cancellationToken = default)
                => inner.GetEntryAsync(relativePath, cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        private sealed class CountingStream(Stream inner, ReadCounter counter) : Stream
        {
            private int _disposed;

            public override bool CanRead => true;

            public override bool CanSeek => false;

            public override bool CanWrite => false;

            public override long Length => throw new NotSupportedException();

            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
                => Counted(await inner.ReadAsync(buffer, cancellationToken));

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
                => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    inner.Dispose();
                    Interlocked.Decrement(ref counter._open);
                }

                base.Dispose(disposing);
            }

            public override async ValueTask DisposeAsync()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    await inner.DisposeAsync();
                    Interlocked.Decrement(ref counter._open);
                }

                await base.DisposeAsync();
            }

            private int Counted(int read)
            {
                Interlocked.Add(ref counter._bytes, read);
                return read;
            }
        }
    }
}
