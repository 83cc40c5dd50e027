using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using NasPacs.Testing;

namespace NasPacs.Api.Tests;

/// <summary>
/// The real server over a temporary data folder: real SQLite files, real folders as NAS roots. Settings are passed as
/// configuration keys exactly as an operator would set them (NasPacs:Roots:{name}:Path, …).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiFactory(Dictionary<string, string?>? settings = null)
    {
        Data = new TempFolder("naspacs-api");
        _settings = new Dictionary<string, string?>(settings ?? [], StringComparer.OrdinalIgnoreCase)
        {
            ["NasPacs:DataPath"] = Data.Path,
        };
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public TempFolder Data { get; }

    /// <summary>Throttles runs so that a test can act while one is active (the sample has 49 files: ~2.5 s at 20 files/s).</summary>
    public static Dictionary<string, string?> Slow(Dictionary<string, string?>? settings = null)
    {
        var result = new Dictionary<string, string?>(settings ?? []) { ["NasPacs:Indexing:MaxFilesPerSecond"] = "20" };
        return result;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Data.Dispose();
        }
    }
}

internal static class Http
{
    public static async Task<JsonElement> JsonAsync(this HttpClient client, string url)
        => await client.GetFromJsonAsync<JsonElement>(url);

    public static async Task<JsonElement> BodyAsync(this HttpResponseMessage response)
        => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Polls the status of <paramref name="root"/> until its phase is one of <paramref name="phases"/>.</summary>
    public static async Task<JsonElement> WaitForPhaseAsync(this HttpClient client, string root, params string[] phases)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var status = await client.JsonAsync($"/api/index/status?root={root}");
            var entry = status.GetProperty("roots")[0];
            if (entry.GetProperty("status").ValueKind == JsonValueKind.Object
                && phases.Contains(entry.GetProperty("status").GetProperty("phase").GetString())
                && (phases.Contains("completed") || phases.Contains("cancelled") || phases.Contains("failed") ? !entry.GetProperty("active").GetBoolean() : true))
            {
                return entry;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Root {root} did not reach {string.Join("/", phases)}: {entry}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The repository's sample NAS folder (64 synthetic files and one broken .dcm).</summary>
    public static string RepositorySamples()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples", "nas")))
        {
            dir = dir.Parent;
        }

        return dir is null ? throw new DirectoryNotFoundException("samples/nas not found above the test folder.") : Path.Combine(dir.FullName, "samples", "nas");
    }
}
