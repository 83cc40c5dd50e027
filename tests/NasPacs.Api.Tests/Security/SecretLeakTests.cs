using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: configured secrets never reach a log line or a response body.</summary>
[Collection(ConsoleRedirect.Name)]
public sealed partial class SecretLeakTests
{
    [Fact]
    public async Task EveryRouteAndLog_DistinctiveSecrets_AppearNowhere()
    {
        const string admin = "Adm1n-Zebra-Quokka-7731";
        const string orthanc = "0rthanc-Walrus-Pelican-4410";
        const string nas = "Nas-Smb-Narwhal-Ibis-9052";
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:Security:AdminPassword"] = admin,
            ["NasPacs:Orthanc:Password"] = orthanc,
            ["Orthanc:Password"] = orthanc,
            ["NasPacs:Roots:sample:Path"] = Http.RepositorySamples(),
            ["NasPacs:Roots:nas:Path"] = "smb://127.0.0.1:1/dicom/archive",
            ["NasPacs:Roots:nas:User"] = "pacs",
            ["NasPacs:Roots:nas:Password"] = nas,
            ["Smb:Password"] = nas,
        });
        using var client = factory.CreateClient();
        await client.WaitForPhaseAsync("sample", "completed");
        var bodies = new List<string>();

        // Sign-in: right, wrong, and the admin password typed as the user name.
        using (var browser = factory.CreateCookieClient())
        {
            foreach (var (user, password) in new[] { ("admin", "wrong-one"), (admin, admin), ("admin", admin) })
            {
                using var response = await BrowserSession.PostLoginAsync(browser, user, password);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
        }

        // Actions on the SMB root, whose connection fails.
        foreach (var (method, url) in new[] { ("POST", "/api/index/start?root=nas"), ("GET", "/api/nas/test?root=nas"), ("GET", "/health/ready") })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        // Every GET route of the server.
        foreach (var endpoint in factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var pattern = endpoint.RoutePattern.RawText!;
            if (!methods.Contains("GET") || pattern.Contains("events", StringComparison.Ordinal))
            {
                continue;
            }

            var url = Parameter().Replace(pattern, "v1").Replace("{**key}", "x", StringComparison.Ordinal);
            foreach (var root in new[] { "nas", "sample" })
            {
                using var response = await client.GetAsync(url + "?root=" + root);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
        }

        await factory.Services.GetRequiredService<NasPacs.Api.Roots.RootCatalog>().Find("nas")!.WhenIdleAsync();
        var logs = factory.Logs.Lines.ToList();

        Assert.True(bodies.Count > 20, $"only {bodies.Count} responses");
        Assert.True(logs.Count > 10, $"only {logs.Count} log lines");
        Assert.Contains(logs, l => l.Contains("nas", StringComparison.Ordinal));
        foreach (var secret in new[] { admin, orthanc, nas })
        {
            Assert.DoesNotContain(bodies, b => b.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(logs, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FirstStart_NoAdminPassword_PrintsOneTimeSecretToConsoleOnlyAndItSignsIn()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        string printed;
        try
        {
            using var factory = new ApiFactory(new() { ["NasPacs:Security:AdminPassword"] = "", ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
            _ = factory.Services;
            printed = OneTimePassword().Match(console.ToString()).Groups[1].Value;
            using var browser = factory.CreateCookieClient();
            using var signIn = await BrowserSession.PostLoginAsync(browser, "admin", printed);

            Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode);
            Assert.True(printed.Length >= 20, "no one-time password was printed");
            Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(printed, StringComparison.Ordinal));
            Assert.Contains(factory.Logs.Lines, l => l.Contains("one-time password written to the console", StringComparison.Ordinal));

            // A second start on the same data prints nothing: the admin exists.
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public async Task FirstStart_AdminPasswordFromEnvironmentVariable_SignsInAndPrintsNothing()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(TextWriter.Synchronized(console));
        try
        {
            using var factory = new ApiFactory(new()
            {
                ["NasPacs:Security:AdminPassword"] = "",
                ["NASPACS_ADMIN_PASSWORD"] = "from-the-environment-42",
                ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            });

            using var browser = factory.CreateCookieClient();
            using var signIn = await BrowserSession.PostLoginAsync(browser, "admin", "from-the-environment-42");

            Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode);
            Assert.DoesNotContain("one-time password", console.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public void ProtectedSetting_MadeWithTheKeyRing_IsDecryptedAtStart()
    {
        using var data = new NasPacs.Testing.TempFolder("naspacs-secrets");
        var protector = DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(data.Path, "keys")), b => b.SetApplicationName("NasPacs"))
            .CreateProtector("NasPacs.Secrets.v1");
        var stored = "protected:" + protector.Protect("Orthanc-Secret-From-Disk");
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:DataPath"] = data.Path,
            ["NasPacs:Orthanc:Password"] = stored,
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        });

        var configuration = factory.Services.GetRequiredService<IConfiguration>();

        Assert.Equal("Orthanc-Secret-From-Disk", configuration["NasPacs:Orthanc:Password"]);
        Assert.DoesNotContain("Orthanc-Secret-From-Disk", File.ReadAllText(Directory.GetFiles(Path.Combine(data.Path, "keys")).Single()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretFiles_InSecretsPath_AreReadAsSettings()
    {
        using var secrets = new NasPacs.Testing.TempFolder("naspacs-secret-files");
        File.WriteAllText(Path.Combine(secrets.Path, "NasPacs__Orthanc__Password"), "Orthanc-Secret-From-A-File");
        File.WriteAllText(Path.Combine(secrets.Path, "admin-password"), "Admin-Secret-From-A-File\n");
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:SecretsPath"] = secrets.Path,
            ["NasPacs:Security:AdminPassword"] = "",
            ["NasPacs:Security:AdminPasswordFile"] = Path.Combine(secrets.Path, "admin-password"),
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        });

        var configuration = factory.Services.GetRequiredService<IConfiguration>();
        using var browser = factory.CreateCookieClient();
        using var signIn = await BrowserSession.PostLoginAsync(browser, "admin", "Admin-Secret-From-A-File");

        Assert.Equal("Orthanc-Secret-From-A-File", configuration["NasPacs:Orthanc:Password"]);
        Assert.Equal(System.Net.HttpStatusCode.OK, signIn.StatusCode);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"one-time password:\s+(\S+)")]
    private static partial Regex OneTimePassword();
}

/// <summary>Tests that redirect <see cref="Console.Out"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleRedirect
{
    public const string Name = "Console";
}
