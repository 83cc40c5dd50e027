using System.Diagnostics;

namespace NasPacs.Testing.Oracle;

/// <summary>DCMTK's <c>dcmdump</c> (Debian's dcmtk): the second opinion where pydicom is lenient.</summary>
public static class Dcmdump
{
    public const string Path = "/usr/bin/dcmdump";

    /// <summary>Why dcmdump cannot run here, or <see langword="null"/>.</summary>
    public static string? UnavailableReason => File.Exists(Path) ? null : $"{Path} is missing (apt-get install dcmtk).";

    /// <summary>Whether dcmdump reads the file without an error (it reads raw datasets without meta group by default).</summary>
    public static bool Reads(string file, out string errors)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(file);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Path}.");
        var output = process.StandardOutput.ReadToEndAsync();
        errors = process.StandardError.ReadToEnd();
        _ = output.Result;
        process.WaitForExit();
        return process.ExitCode == 0 && !errors.Contains("E: ", StringComparison.Ordinal);
    }
}
