using System.Diagnostics;
using System.Runtime.Versioning;
using NasPacs.Testing;

namespace NasPacs.Cli.Tests;

/// <summary>Starts the naspacs build that sits next to the tests.</summary>
[UnsupportedOSPlatform("windows")]
internal static class Naspacs
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "naspacs.dll");

    // nobody cannot always reach the build output (a clone under a 0700 folder such as `mktemp -d`), so the
    // unprivileged runs start a copy of it under the temp folder, deleted when the test process ends.
    private static readonly Lazy<string> NobodyDll = new(() =>
    {
        var copy = new TempFolder("naspacs-cli-build");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => copy.Dispose();
        File.SetUnixFileMode(copy.Path, (UnixFileMode)0b111_101_101);
        var build = AppContext.BaseDirectory;
        foreach (var file in Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, copy.Combine(Path.GetRelativePath(build, file)));
        }

        return Path.Combine(copy.Path, "naspacs.dll");
    });

    public static Process Start(string[] arguments, bool asNobody = false)
    {
        ProcessStartInfo start;
        if (asNobody)
        {
            // setpriv (util-linux) drops to nobody so that file permissions apply; HOME points somewhere writable.
            start = new ProcessStartInfo("setpriv") { ArgumentList = { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet", NobodyDll.Value } };
            start.Environment["HOME"] = Path.GetTempPath();
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        else
        {
            start = new ProcessStartInfo("dotnet") { ArgumentList = { Dll } };
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("naspacs did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs naspacs to its end; <paramref name="environment"/> sets variables (a null value removes one).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, bool asNobody = false, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(asNobody ? "setpriv" : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        if (asNobody)
        {
            foreach (var argument in new[] { "--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["HOME"] = Path.GetTempPath();
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        start.ArgumentList.Add(asNobody ? NobodyDll.Value : Dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("naspacs did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }
}
