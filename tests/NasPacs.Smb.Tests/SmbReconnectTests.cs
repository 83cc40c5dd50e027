using System.Collections.Concurrent;
using NasPacs.Abstractions.Files;
using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

/// <summary>The connection cut mid-run (the smbd child serving it killed): the run completes on fresh connections.</summary>
public sealed class SmbReconnectTests : IDisposable
{
    private const int Files = 3000;
    private readonly SambaServer _samba = SambaServer.Start();

    public SmbReconnectTests()
    {
        for (var i = 0; i < Files; i++)
        {
            var path = Path.Combine(_samba.ShareFolder, $"d{i % 30:D2}", $"f{i:D4}.dcm");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, $"file {i}");
        }
    }

    [Fact]
    public async Task ReadPrefixAsync_ConnectionsKilledMidRun_EveryReadCompletes()
    {
        await using var source = (SmbFileSource)new SmbFileSourceFactory().Create(_samba.Options(o => o.PoolSize = 2));
        var entries = new List<FileEntry>();
        await foreach (var entry in source.EnumerateAsync(new FileEnumerationOptions()))
        {
            entries.Add(entry);
        }

        var done = 0;
        var killed = 0;
        var contents = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
        {
            var buffer = new byte[64];
            var read = await source.ReadPrefixAsync(entry.RelativePath, buffer, ct);
            contents[entry.RelativePath] = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            if (Interlocked.Increment(ref done) is 500 or 1500)
            {
                Interlocked.Add(ref killed, _samba.KillConnections());
            }
        });

        Assert.True(killed >= 2, $"killed {killed} connection processes");
        Assert.True(source.Pool.ConnectionsOpened > 2, $"opened {source.Pool.ConnectionsOpened} connections");
        Assert.Equal(Files, contents.Count);
        Assert.All(contents, c => Assert.Equal("file " + int.Parse(c.Key[^8..^4], System.Globalization.CultureInfo.InvariantCulture), c.Value));
    }

    [Fact]
    public async Task EnumerateAsync_ConnectionsKilledMidRun_ListsEveryFile()
    {
        await using var source = (SmbFileSource)new SmbFileSourceFactory().Create(_samba.Options(o => o.PoolSize = 1));
        var listed = new List<string>();
        var folders = 0L;
        var killed = 0;

        await foreach (var entry in source.EnumerateAsync(new FileEnumerationOptions
        {
            MaxParallelism = 2,
            OnProgress = p =>
            {
                if (Interlocked.Increment(ref folders) == 10)
                {
                    Interlocked.Add(ref killed, _samba.KillConnections());
                }
            },
        }))
        {
            listed.Add(entry.RelativePath);
        }

        Assert.True(killed >= 1, $"killed {killed} connection processes");
        Assert.Equal(Files, listed.Distinct().Count());
        Assert.Equal(Files, listed.Count);
    }

    [Fact]
    public async Task ReadPrefixAsync_ServerStopsAnswering_TimesOutAndCompletesOnFreshConnection()
    {
        await using var source = (SmbFileSource)new SmbFileSourceFactory().Create(_samba.Options(o => { o.PoolSize = 1; o.RequestTimeout = TimeSpan.FromSeconds(1); }));
        Assert.Equal(6, await source.ReadPrefixAsync("d00/f0000.dcm", new byte[64]));
        var frozen = _samba.FreezeConnections();
        try
        {
            Assert.NotEmpty(frozen);

            var buffer = new byte[64];
            var read = await source.ReadPrefixAsync("d01/f0001.dcm", buffer);

            Assert.Equal("file 1", System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            Assert.Equal(2, source.Pool.ConnectionsOpened);
        }
        finally
        {
            foreach (var pid in frozen)
            {
                SambaServer.Signal(pid, "KILL");
            }
        }
    }

    public void Dispose() => _samba.Dispose();
}
