using System.Text.Json;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: a root's location on the server is for admins; viewers and operators see its name only.</summary>
public sealed class RootLocationTests : IClassFixture<RootLocationTests.Server>
{
    private readonly Server _server;

    public RootLocationTests(Server server) => _server = server;

    public sealed class Server : IDisposable
    {
        public Server()
        {
            Folder = new NasPacs.Testing.TempFolder("naspacs-location");
            File.Copy(Path.Combine(NasPacs.Testing.Oracle.PydicomOracle.CorpusRoot, "test_files", "CT_small.dcm"), Path.Combine(Folder.Path, "one.dcm"));
            Factory = new ApiFactory(new() { ["NasPacs:Roots:ward:Path"] = Folder.Path });
        }

        public NasPacs.Testing.TempFolder Folder { get; }

        public ApiFactory Factory { get; }

        public void Dispose()
        {
            Factory.Dispose();
            Folder.Dispose();
        }
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task Status_NonAdmin_NamesTheRootWithoutItsLocation(string role)
    {
        using var client = _server.Factory.CreateClient(role);
        await client.WaitForPhaseAsync("ward", "completed");

        var text = await client.GetStringAsync("/api/index/status");
        var runs = await client.GetStringAsync("/api/index/runs?root=ward");
        var root = JsonDocument.Parse(text).RootElement.GetProperty("roots")[0];

        Assert.Equal("ward", root.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("location").ValueKind);
        Assert.Equal("ward", root.GetProperty("status").GetProperty("root").GetString());
        Assert.DoesNotContain(_server.Folder.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Folder.Path, runs, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task Export_NonAdmin_GetsPathsRelativeToTheRoot(string role)
    {
        using var client = _server.Factory.CreateClient(role);
        await client.WaitForPhaseAsync("ward", "completed");

        var text = await client.GetStringAsync("/api/index/export.json?root=ward");
        var series = JsonDocument.Parse(text).RootElement[0];

        Assert.Equal("one.dcm", series.GetProperty("files")[0].GetString());
        Assert.DoesNotContain(_server.Folder.Path, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Admin_SeesTheLocation()
    {
        using var client = _server.Factory.CreateClient("admin");
        await client.WaitForPhaseAsync("ward", "completed");

        var root = (await client.JsonAsync("/api/index/status")).GetProperty("roots")[0];

        Assert.Equal(_server.Folder.Path, root.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Events_Viewer_StreamsNoLocation()
    {
        using var client = _server.Factory.CreateClient("viewer");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.GetAsync("/api/index/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        string? data = null;
        while (data is null && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            data = line.StartsWith("data:", StringComparison.Ordinal) ? line[5..] : null;
        }

        Assert.NotNull(data);
        Assert.Contains("\"ward\"", data, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Folder.Path, data, StringComparison.Ordinal);
    }
}
