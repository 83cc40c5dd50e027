using System.Diagnostics;
using System.Text.Json;

namespace NasPacs.Sharing.Tests.Zip;

/// <summary>Real zip readers: Debian's <c>unzip -t</c> and Python's <c>zipfile</c> (/usr/bin/python3).</summary>
internal static class ZipClients
{
    private const string Python = """
        import json, sys, zipfile, zlib
        z = zipfile.ZipFile(sys.argv[1])
        entries = [{"name": i.filename, "size": i.file_size, "method": i.compress_type, "crc": i.CRC} for i in z.infolist()]
        print(json.dumps({"bad": z.testzip(), "entries": entries, "zip64": any(i.file_size >= 0xFFFFFFFF for i in z.infolist()) or len(entries) > 65535}))
        """;

    /// <summary>Runs <c>unzip -t</c>; returns its exit code and the last line of its output.</summary>
    public static (int ExitCode, string Summary) UnzipTest(string zipPath)
    {
        var (code, output) = Run("unzip", ["-t", "-q", zipPath]);
        return (code, output.Trim().Split('\n')[^1]);
    }

    /// <summary>Reads the archive with Python's zipfile (every CRC checked); returns the entries.</summary>
    public static List<PyEntry> PythonRead(string zipPath)
    {
        var (code, output) = Run("/usr/bin/python3", ["-c", Python, zipPath]);
        Assert.True(code == 0, "python zipfile failed: " + output);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("bad").ValueKind);
        return json.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => new PyEntry(e.GetProperty("name").GetString()!, e.GetProperty("size").GetInt64(), e.GetProperty("method").GetInt32(), e.GetProperty("crc").GetUInt32()))
            .ToList();
    }

    private static (int Code, string Output) Run(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{tool} did not start (install it: apt-get install -y unzip python3).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    /// <summary>One entry as Python sees it.</summary>
    public sealed record PyEntry(string Name, long Size, int Method, uint Crc);
}
