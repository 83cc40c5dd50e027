using System.Text;
using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

/// <summary>
/// One smbd serving a tree that holds the awkward cases: names with spaces, <c>%</c>, <c>#</c> and non-ASCII
/// characters, an empty file, a 5 MB file, hidden files, an unreadable file and folder, and 10,100 small files.
/// </summary>
public sealed class SambaTreeFixture : IDisposable
{
    public const int ManyFolders = 101;
    public const int FilesPerFolder = 100;

    public SambaTreeFixture()
    {
        Server = SambaServer.Start();
        var random = new Random(7);
        Write("plain.dcm", Bytes(random, 2048));
        Write("with space.dcm", Bytes(random, 3000));
        Write("per%cent.dcm", Bytes(random, 100));
        Write("hash#tag.dcm", Bytes(random, 10));
        Write("ünïcødé 日本/файл.dcm", Bytes(random, 9000));
        Write("dir one/nested/deep.bin", Bytes(random, 100_000));
        Write("empty.bin", []);
        Write("big.bin", Bytes(random, 5 * 1024 * 1024 + 123));
        Write(".hidden.dcm", Bytes(random, 10));
        Write(".hiddendir/inside.dcm", Bytes(random, 10));
        Write("noread.bin", Bytes(random, 10));
        Write("locked/secret.dcm", Bytes(random, 10));
        if (!OperatingSystem.IsWindows())
        {
            // Owned by root: only root may read these, not the share user.
            File.SetUnixFileMode(Path.Combine(Server.ShareFolder, "noread.bin"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetUnixFileMode(Path.Combine(Server.ShareFolder, "locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        for (var folder = 0; folder < ManyFolders; folder++)
        {
            for (var file = 0; file < FilesPerFolder; file++)
            {
                Write($"many/f{folder:D3}/img{file:D3}.dcm", Encoding.ASCII.GetBytes($"DICM {folder} {file} ").Concat(Bytes(random, 200)).ToArray());
            }
        }
    }

    public SambaServer Server { get; }

    public string Root => Server.ShareFolder;

    /// <summary>What <c>System.IO</c> sees, as the SMB user would: dot names and the unreadable folder's contents left out.</summary>
    public IReadOnlyList<(string Path, long Size, DateTimeOffset Time)> LocalFiles()
    {
        return Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Where(p => !p.Split('/').Any(s => s.StartsWith('.')) && !p.StartsWith("locked/", StringComparison.Ordinal))
            .Select(p =>
            {
                var info = new FileInfo(Path.Combine(Root, p));
                return (p, info.Length, new DateTimeOffset(info.LastWriteTimeUtc));
            })
            .OrderBy(e => e.p, StringComparer.Ordinal)
            .ToList();
    }

    private void Write(string relative, byte[] content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => Server.Dispose();
}
