using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace NasPacs.Testing.Orthanc;

/// <summary>
/// A real Orthanc (Debian's <c>/usr/sbin/Orthanc</c>) of the test's own: a free HTTP port, its own temp folders and JSON
/// config (never <c>/etc/orthanc</c> or the package's service), the DICOM server disabled, basic auth with a random
/// password, and the NasPacs provenance names declared in <c>UserMetadata</c>. Started and stopped by PID.
/// </summary>
public sealed class OrthancServer : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/Orthanc";

    /// <summary>The provenance names NasPacs writes, with the indexes docs/orthanc.md gives.</summary>
    public static readonly IReadOnlyDictionary<string, int> NasPacsMetadata = new Dictionary<string, int>
    {
        ["NasSource"] = 4500, ["NasPath"] = 4501, ["NasSeriesKey"] = 4502, ["NasPushTime"] = 4503, ["NasFileCount"] = 4504, ["NasManifestHash"] = 4505,
    };

    private readonly TempFolder _folder;
    private readonly string _config;
    private Process? _process;

    private OrthancServer(TempFolder folder, int port, string password, string config)
    {
        _folder = folder;
        Port = port;
        Password = password;
        _config = config;
    }

    /// <summary>Why Orthanc cannot run here, or <see langword="null"/>.</summary>
    public static string? UnavailableReason => File.Exists(Executable) ? null : $"{Executable} is missing (apt-get install -y orthanc).";

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    public string Username { get; } = "naspacs";

    public string Password { get; }

    /// <summary>The process id while running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    public string LogPath => Path.Combine(_folder.Path, "orthanc.log");

    /// <summary>Starts a fresh Orthanc and waits until <c>GET /system</c> answers.</summary>
    /// <param name="userMetadata">The <c>UserMetadata</c> block; default <see cref="NasPacsMetadata"/>.</param>
    public static async Task<OrthancServer> StartAsync(IReadOnlyDictionary<string, int>? userMetadata = null)
    {
        Assert.True(UnavailableReason is null, UnavailableReason);
        for (var attempt = 1; ; attempt++)
        {
            var folder = new TempFolder("naspacs-orthanc");
            var port = FreePort();
            var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            var storage = Path.Combine(folder.Path, "db");
            Directory.CreateDirectory(storage);
            var config = Path.Combine(folder.Path, "orthanc.json");
            var settings = new Dictionary<string, object>
            {
                ["Name"] = "NasPacsTest",
                ["StorageDirectory"] = storage,
                ["IndexDirectory"] = storage,
                ["HttpPort"] = port,
                ["DicomServerEnabled"] = false,
                ["RemoteAccessAllowed"] = false,
                ["AuthenticationEnabled"] = true,
                ["RegisteredUsers"] = new Dictionary<string, string> { ["naspacs"] = password },
                ["UserMetadata"] = userMetadata ?? NasPacsMetadata,
                ["SaveJobs"] = false,
                ["Plugins"] = Array.Empty<string>(),
            };
            await File.WriteAllTextAsync(config, JsonSerializer.Serialize(settings));
            var server = new OrthancServer(folder, port, password, config);
            try
            {
                await server.StartProcessAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // The free port was taken between the probe and Orthanc's bind: try another.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>An HTTP client with this server's address and credentials.</summary>
    public HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));
        return client;
    }

    /// <summary>Stops Orthanc with SIGTERM by PID and waits until the process has exited (it takes a few seconds).</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            using (var kill = Process.Start(new ProcessStartInfo("/bin/kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Starts the stopped server again on the same port, config and storage.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _folder.Dispose();
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(Executable, [$"--logfile={LogPath}", _config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            WorkingDirectory = _folder.Path,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("Orthanc did not start.");
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                var code = _process.ExitCode;
                _process.Dispose();
                _process = null;
                throw new InvalidOperationException($"Orthanc exited with code {code} on port {Port}: {Tail()}");
            }

            try
            {
                using var response = await client.GetAsync("system");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Orthanc did not answer /system on port {Port} within 30 s: {Tail()}");
            }

            await Task.Delay(50);
        }
    }

    private string Tail()
    {
        try
        {
            var lines = File.ReadAllLines(LogPath);
            return string.Join(Environment.NewLine, lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
