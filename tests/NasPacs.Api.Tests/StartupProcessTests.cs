using System.Diagnostics;
using NasPacs.Testing;

namespace NasPacs.Api.Tests;

/// <summary>
/// The server as an administrator starts it (<c>dotnet NasPacs.Api.dll</c>, a real process) with a wrong setting: it
/// stops at once with exit code 2 and the setting named, and prints no stack trace.
/// </summary>
public sealed class StartupProcessTests
{
    [Theory]
    [InlineData("NasPacs__Indexing__MaxWorkers", "0", "NasPacs:Indexing:MaxWorkers must be 1 to 256 (was 0).")]
    [InlineData("NasPacs__Https__CertificatePath", "/nonexistent/naspacs.pfx", "NasPacs:Https:CertificatePath is set but NasPacs:Https:Enabled is false")]
    [InlineData("NasPacs__Security__ApiRequestsPerMinute", "-5", "NasPacs:Security:ApiRequestsPerMinute")]
    public async Task Start_WrongSetting_ExitsWithCode2AndNamesTheSettingWithoutAStackTrace(string variable, string value, string expected)
    {
        using var data = new TempFolder("naspacs-start");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "NasPacs.Api.dll"), "--urls", "http://127.0.0.1:0" },
            WorkingDirectory = data.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NasPacs__DataPath"] = data.Path;
        start.Environment[variable] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The server did not stop on a wrong {variable}; it printed: {await output}");
        }

        var printed = await output + await error;
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("NasPacs did not start: a setting is wrong.", await error, StringComparison.Ordinal);
        Assert.Contains(expected, await error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", printed, StringComparison.Ordinal);
    }
}
