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
        Assert.False(stat.TryGet("not-there.dcm", out _, out _));
        File.WriteAllBytes(_root.Combine("there.dcm"), new byte[42]);
        Assert.True(stat.TryGet("there.dcm", out var size, out var lastWrite));
        Assert.Equal(42, size);
        Assert.Equal(File.GetLastWriteTimeUtc(_root.Combine("there.dcm")), lastWrite.UtcDateTime);
    }
}
