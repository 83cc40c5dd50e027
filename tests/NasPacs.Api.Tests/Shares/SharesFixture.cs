using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace NasPacs.Api.Tests.Shares;

/// <summary>
/// The real server over the generated sample NAS (3 patients, 12 series of 4 files), indexed once, with the public
/// routes' limits raised so that tests are not throttled by each other, and the password cost at its floor.
/// </summary>
public sealed class SharesFixture : IAsyncLifetime
{
    public SharesFixture() => Factory = new ApiFactory(Settings());

    public ApiFactory Factory { get; }

    public HttpClient Api { get; private set; } = null!;

    /// <summary>The sample's series keys, newest study first.</summary>
    public IReadOnlyList<string> SeriesKeys { get; private set; } = [];

    public string NasFolder => Path.Combine(Factory.Data.Path, "sample-nas");

    public string DatabasePath => Path.Combine(Factory.Data.Path, "shares.db");

    public static Dictionary<string, string?> Settings(int pagesPerMinute = 10_000) => new()
    {
        ["NasPacs:Sharing:PagesPerMinute"] = pagesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NasPacs:Sharing:ParallelDownloadsPerClient"] = "100",
        ["NasPacs:Sharing:PasswordIterations"] = "10000",
    };

    public async Task InitializeAsync()
    {
        Api = Factory.CreateClient();
        await Api.WaitForPhaseAsync("sample", "completed");
        var page = await Api.JsonAsync("/api/search?pageSize=50");
        SeriesKeys = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("series_key").GetString()!).ToList();
    }

    public Task DisposeAsync()
    {
        Api.Dispose();
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A client with no credentials that keeps cookies and does not follow redirects, like a recipient's browser.</summary>
    public HttpClient Recipient()
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Authorization = null;
        client.DefaultRequestHeaders.UserAgent.ParseAdd("share-recipient/1.0");
        return client;
    }

    /// <summary>Creates a link through the API; returns its id and the path part of its link (<c>/s/{token}</c>).</summary>
    public async Task<(long Id, string Path, string Token)> ShareAsync(string seriesKey, object? options = null)
    {
        var body = JsonSerializer.SerializeToElement(options ?? new { });
        var request = new Dictionary<string, object?> { ["root"] = "sample", ["series_key"] = seriesKey };
        foreach (var property in body.EnumerateObject())
        {
            request[property.Name] = property.Value;
        }

        using var response = await Api.PostAsJsonAsync("/api/shares", request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.BodyAsync();
        var url = new Uri(created.GetProperty("url").GetString()!);
        return (created.GetProperty("share").GetProperty("id").GetInt64(), url.AbsolutePath, url.AbsolutePath["/s/".Length..]);
    }

    /// <summary>The series' files as the index lists them (relative paths, in zip order).</summary>
    public async Task<List<string>> FilesOfAsync(string seriesKey)
    {
        var series = await Api.JsonAsync($"/api/series/{Uri.EscapeDataString(seriesKey)}?root=sample&pageSize=200");
        return series.GetProperty("files").GetProperty("items").EnumerateArray().Select(f => f.GetProperty("relative_path").GetString()!).ToList();
    }

    /// <summary>The access-log outcomes of a link, newest first.</summary>
    public async Task<List<string>> OutcomesAsync(long id)
    {
        var log = await Api.JsonAsync($"/api/shares/{id}/access-log?pageSize=200");
        return log.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("outcome").GetString()!).ToList();
    }
}

/// <summary>Real zip clients over a downloaded archive: Debian's <c>unzip -t</c> and Python's <c>zipfile</c>, comparing bytes with the NAS.</summary>
internal static class ZipCheck
{
    private const string Compare = """
        import json, sys, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        expected = json.loads(sys.argv[2])
        names = [i.filename for i in z.infolist()]
        equal = [z.read(name) == open(path, 'rb').read() for name, path in expected]
        print(json.dumps({"bad": z.testzip(), "names": names, "equal": equal}))
        """;

    /// <summary>
    /// Checks the archive with both clients; <paramref name="expected"/> pairs entry names with NAS files whose bytes the
    /// entries must hold. Returns the archive's entry names.
    /// </summary>
    public static List<string> Verify(string zipPath, IEnumerable<(string Entry, string File)> expected)
    {
        var (unzipCode, unzipOutput) = Run("unzip", "-tq", zipPath);
        Assert.True(unzipCode == 0, "unzip -t: " + unzipOutput);
        var pairs = JsonSerializer.Serialize(expected.Select(e => new[] { e.Entry, e.File }));
        var (code, output) = Run("/usr/bin/python3", "-c", Compare, zipPath, pairs);
        Assert.True(code == 0, "python zipfile: " + output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("bad").ValueKind);
        Assert.All(json.RootElement.GetProperty("equal").EnumerateArray(), e => Assert.True(e.GetBoolean(), "an entry's bytes differ from the NAS file"));
        return json.RootElement.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToList();
    }

    private static (int Code, string Output) Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start (apt-get install -y unzip python3).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
