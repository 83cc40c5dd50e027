namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: leftovers of earlier runs are removed at start; indexes and security files are kept.</summary>
public sealed class StaleFileCleanupTests
{
    [Fact]
    public void Start_LeftoverStatusFiles_AreRemovedAndIndexesKept()
    {
        using var data = new NasPacs.Testing.TempFolder("naspacs-cleanup");
        var old = DateTime.UtcNow.AddHours(-1);
        var halfWritten = Write(data.Path, "sample.status.json.4242.7.tmp", old);
        var fresh = Write(data.Path, "sample.status.json.4243.7.tmp", DateTime.UtcNow);
        var orphan = Write(data.Path, "gone.status.json", old);
        var keptIndex = Write(data.Path, "kept.db", old);
        var keptStatus = Write(data.Path, "kept.status.json", old);

        using var factory = new ApiFactory(new() { ["NasPacs:DataPath"] = data.Path, ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        _ = factory.Services;

        Assert.False(File.Exists(halfWritten));
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(keptIndex));
        Assert.True(File.Exists(keptStatus));
        Assert.True(File.Exists(Path.Combine(data.Path, "security.db")));
    }

    private static string Write(string folder, string name, DateTime modified)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "{}");
        File.SetLastWriteTimeUtc(path, modified);
        return path;
    }
}
