using NasPacs.Abstractions.Files;
using NasPacs.Testing;

namespace NasPacs.Enumeration.Tests;

/// <summary>
/// The walk stats files by name in an open folder (FolderStat) instead of by full path; a re-index compares what it
/// finds with what earlier runs stored, so the values must be exactly those .NET's own file information gives.
/// </summary>
public sealed class FolderStatTests : IDisposable
{
    private readonly TempFolder _root = new("naspacs-folderstat");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task EnumerateAsync_VariedFiles_SizeAndTimeEqualFileInfo()
    {
        var names = new[] { "plain.dcm", "no extension", "Müller Åse ünïcödé.dcm", "日本語", "IM 0001.IMA" };
        Directory.CreateDirectory(_root.Combine("A/B"));
        var time = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1_234_567);
        for (var i = 0; i < names.Length; i++)
        {
            var path = _root.Combine($"A/B/{names[i]}");
            File.WriteAllBytes(path, new byte[100 + i]);
            File.SetLastWriteTimeUtc(path, time.AddDays(i));
        }

        File.WriteAllBytes(_root.Combine("top.dcm"), new byte[7]);
        if (!OperatingSystem.IsWindows())
        {
            // A link to a file is reported as the link (lstat), as the walk always did.
            File.CreateSymbolicLink(_root.Combine("A/link.dcm"), _root.Combine("A/B/plain.dcm"));
        }

        var entries = new List<FileEntry>();
        await using var source = new LocalFileSource(_root.Path, new LocalFileSourceOptions(), TimeProvider.System);
        await foreach (var entry in source.EnumerateAsync(new FileEnumerationOptions()))
        {
            entries.Add(entry);
        }

        Assert.Equal(names.Length + 1 + (OperatingSystem.IsWindows() ? 0 : 1), entries.Count);
        foreach (var entry in entries)
        {
            var info = new FileInfo(_root.Combine(entry.RelativePath));
            Assert.Equal(info.Length, entry.Size);
            Assert.Equal(new DateTimeOffset(info.LastWriteTimeUtc).UtcTicks, entry.LastWriteTimeUtc.UtcTicks);
        }

        Assert.Equal(time.AddDays(2).Ticks, entries.Single(e => e.RelativePath == $"A/B/{names[2]}").LastWriteTimeUtc.UtcTicks);
    }

    [Fact]
    public void TryGet_MissingName_ReturnsFalse()
    {
        using var stat = FolderStat.TryOpen(_root.Path);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(stat);
            return;
        }

        Assert.NotNull(stat);
        Assert.False(stat.TryGet("not-there.dcm", out _, out _, out var special));
        Assert.False(special);
        File.WriteAllBytes(_root.Combine("there.dcm"), new byte[42]);
        Assert.True(stat.TryGet("there.dcm", out var size, out var lastWrite, out special));
        Assert.False(special);
        Assert.Equal(42, size);
        Assert.Equal(File.GetLastWriteTimeUtc(_root.Combine("there.dcm")), lastWrite.UtcDateTime);
    }

    [Fact]
    public void TryGet_FifoSocketDeviceAndLinksToThem_AreSpecial()
    {
        using var stat = FolderStat.TryOpen(_root.Path);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.NotNull(stat);
        SpecialFiles.MakeFifo(_root.Combine("pipe"));
        SpecialFiles.MakeSocket(_root.Combine("socket"));
        File.CreateSymbolicLink(_root.Combine("null"), "/dev/null");
        File.CreateSymbolicLink(_root.Combine("to pipe"), _root.Combine("pipe"));
        File.WriteAllBytes(_root.Combine("file"), [1]);
        File.CreateSymbolicLink(_root.Combine("to file"), _root.Combine("file"));
        File.CreateSymbolicLink(_root.Combine("broken"), _root.Combine("nowhere"));

        string[] names = ["pipe", "socket", "null", "to pipe", "file", "to file", "broken"];
        var special = names.Where(n =>
        {
            stat.TryGet(n, out _, out _, out var isSpecial);
            return isSpecial;
        });

        Assert.Equal(["pipe", "socket", "null", "to pipe"], special);
    }
}
