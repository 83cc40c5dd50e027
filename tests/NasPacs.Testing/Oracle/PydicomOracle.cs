using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NasPacs.Testing.Oracle;

/// <summary>What pydicom reads from one file (see <c>pydicom_oracle.py</c>): the expected values of the differential tests.</summary>
public sealed record PydicomResult(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("forced")] bool Forced,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("transfer_syntax")] string? TransferSyntax,
    [property: JsonPropertyName("pixel_data_offset")] long? PixelDataOffset,
    [property: JsonPropertyName("tags")] Dictionary<string, string[]> Tags,
    [property: JsonPropertyName("tag_errors")] Dictionary<string, string> TagErrors)
{
    /// <summary>pydicom read the file (with force=True when <see cref="Forced"/>).</summary>
    public bool Read => Status == "ok";
}

/// <summary>Runs Debian's pydicom (<c>/usr/bin/python3</c>) over files and returns what it reads, never typed-in values.</summary>
public static class PydicomOracle
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The pydicom test corpus shipped by Debian's python3-pydicom.</summary>
    public const string CorpusRoot = "/usr/lib/python3/dist-packages/pydicom/data";

    private static readonly Lazy<string?> Unavailable = new(FindProblem);

    /// <summary>Why the oracle cannot run here, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>Every file of the corpus (test_files, charset_files, dicomdirtests with the files without extension, …), sorted.</summary>
    public static IReadOnlyList<string> CorpusFiles()
    {
        if (!Directory.Exists(CorpusRoot))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Runs the oracle over <paramref name="files"/>, asking for <paramref name="keywords"/>.</summary>
    public static IReadOnlyDictionary<string, PydicomResult> Run(IEnumerable<string> files, IEnumerable<string> keywords)
    {
        // One script file per call: test classes run in parallel, and with one per process a call deleted the script
        // another call's python was about to open (seen in CI: "can't open file …/naspacs-pydicom-oracle-30800.py").
        var script = Path.Combine(Path.GetTempPath(), $"naspacs-pydicom-oracle-{Environment.ProcessId}-{Guid.NewGuid():N}.py");
        try
        {
            return Run(script, files, keywords);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static Dictionary<string, PydicomResult> Run(string script, IEnumerable<string> files, IEnumerable<string> keywords)
    {
        using (var resource = typeof(PydicomOracle).Assembly.GetManifestResourceStream("NasPacs.Testing.Oracle.pydicom_oracle.py")
            ?? throw new InvalidOperationException("The oracle script is not embedded."))
        using (var file = File.Create(script))
        {
            resource.CopyTo(file);
        }

        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(string.Join(',', keywords));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        start.StandardOutputEncoding = System.Text.Encoding.UTF8;
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var errors = process.StandardError.ReadToEndAsync();
        var results = new Dictionary<string, PydicomResult>(StringComparer.Ordinal);
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var result = JsonSerializer.Deserialize<PydicomResult>(line) ?? throw new InvalidOperationException($"Bad oracle line: {line}");
            results[result.Path] = result;
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The pydicom oracle failed ({process.ExitCode}): {errors.Result}");
        }

        return results;
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install python3-pydicom).";
        }

        try
        {
            var start = new ProcessStartInfo(Python, ["-c", "import pydicom"]) { RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0 && Directory.Exists(CorpusRoot) ? null : "pydicom is not installed (apt-get install python3-pydicom).";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{Python} cannot run: {ex.Message}";
        }
    }
}
