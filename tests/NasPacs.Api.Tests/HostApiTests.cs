using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasPacs.Testing;

namespace NasPacs.Api.Tests;

public sealed class HostApiTests
{
    [Fact]
    public async Task Health_LiveAndReady_AreHealthy()
    {
        using var factory = new ApiFactory();
        using var client = factory.CreateClient();

        var live = await client.JsonAsync("/health/live");
        var ready = await client.JsonAsync("/health/ready");

        Assert.Equal("healthy", live.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", ready.GetProperty("checks").GetProperty("nas-roots").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthReady_UnreachableRoot_IsDegradedNamingTheRoot()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/nas" });
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var ready = await response.BodyAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.Contains("gone", ready.GetProperty("checks").GetProperty("nas-roots").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NasTest_ReachableRoot_ReportsRatesAndSuggestions()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient();

        var report = await client.JsonAsync("/api/nas/test");

        Assert.True(report.GetProperty("reachable").GetBoolean());
        Assert.True(report.GetProperty("readable").GetBoolean());
        Assert.Equal(49, report.GetProperty("listing").GetProperty("items").GetInt64());
        Assert.Equal(49, report.GetProperty("reading").GetProperty("items").GetInt64());
        Assert.True(report.GetProperty("latency_ms").GetDouble() >= 0);
        Assert.NotEqual(0, report.GetProperty("suggestions").GetArrayLength());
    }

    [Fact]
    public async Task NasTest_UnreachableRoot_ReportsProblemAndSuggestion()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/nas" });
        using var client = factory.CreateClient();

        var report = await client.JsonAsync("/api/nas/test?root=gone");

        Assert.False(report.GetProperty("reachable").GetBoolean());
        Assert.Equal("fs.root-unreachable", report.GetProperty("problem").GetProperty("code").GetString());
        Assert.Contains("mounted", report.GetProperty("suggestions")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NasTest_EmptyRoot_SuggestsCheckingThePath()
    {
        using var empty = new NasPacs.Testing.TempFolder("naspacs-empty");
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:empty:Path"] = empty.Path, ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient();

        var report = await client.JsonAsync("/api/nas/test?root=empty");

        Assert.True(report.GetProperty("reachable").GetBoolean());
        Assert.Contains("holds no files", report.GetProperty("suggestions")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NasPacs:Roots:bad name!:Path", "/tmp", "NasPacs:Roots:bad name!")]
    [InlineData("NasPacs:Roots:nas:Path", "smb://user@host/share", "NasPacs:Roots:nas:Path")]
    [InlineData("NasPacs:Indexing:MaxWorkers", "0", "NasPacs:Indexing:MaxWorkers")]
    [InlineData("NasPacs:LiveStatusInterval", "00:00:05", "NasPacs:LiveStatusInterval")]
    public void Start_InvalidSetting_FailsNamingTheSetting(string key, string value, string named)
    {
        using var factory = new ApiFactory(new() { [key] = value });

        var ex = factory.StartFailure();

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InvalidIndexingSettingOfOneRoot_FailsNamingTheRootsSetting()
    {
        using var local = new TempFolder("naspacs-settings");
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:nas:Path"] = local.Path, ["NasPacs:Roots:nas:Indexing:MaxWorkers"] = "0" });

        var ex = factory.StartFailure();

        Assert.Contains("NasPacs:Roots:nas:Indexing:MaxWorkers must be 1 to 256 (was 0).", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, 64, 16, 8, 4)]
    [InlineData("NasPacs:Indexing:MaxWorkers", "12", 12, 16, 12, 4)]
    [InlineData("NasPacs:Roots:nas:Indexing:MaxWorkers", "32", 32, 16, 8, 4)]
    [InlineData("NasPacs:Roots:local:Indexing:EnumerationParallelism", "2", 64, 16, 8, 2)]
    public void IndexingSettings_SmbRootDefaultsToMoreInFlight_ConfiguredValuesWin(string? key, string? value, int nasWorkers, int nasFolders, int localWorkers, int localFolders)
    {
        using var local = new TempFolder("naspacs-settings");
        var settings = new Dictionary<string, string?>
        {
            ["NasPacs:Roots:nas:Path"] = "smb://127.0.0.1:1/share/dicom",
            ["NasPacs:Roots:local:Path"] = local.Path,
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        };
        if (key is not null)
        {
            settings[key] = value;
        }

        using var factory = new ApiFactory(settings);
        var roots = factory.Services.GetRequiredService<NasPacs.Api.Roots.RootCatalog>();

        var nas = roots.Find("nas")!.IndexingSettings;
        var own = roots.Find("local")!.IndexingSettings;

        Assert.Equal((nasWorkers, nasFolders), (nas.MaxWorkers, nas.EnumerationParallelism));
        Assert.Equal((localWorkers, localFolders), (own.MaxWorkers, own.EnumerationParallelism));
    }

    [Fact]
    public async Task Search_TwoRoots_MergesResultsFromBoth()
    {
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:Roots:repo:Path"] = Http.RepositorySamples(),
            ["NasPacs:Roots:copy:Path"] = Http.RepositorySamples(),
        });
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("repo", "completed");
        await client.WaitForPhaseAsync("copy", "completed");

        var all = await client.JsonAsync("/api/search?pageSize=200");
        var one = await client.JsonAsync("/api/search?root=copy&pageSize=200");

        Assert.Equal(2 * one.GetProperty("total").GetInt64(), all.GetProperty("total").GetInt64());
        var roots = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("root").GetString()).Distinct().Order().ToList();
        Assert.Equal(["copy", "repo"], roots);
    }
}
