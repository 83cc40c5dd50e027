using System.Diagnostics;

namespace NasPacs.Testing;

/// <summary>Files that are not regular files, as a NAS or a Linux folder can hold them: FIFOs and sockets (Unix only).</summary>
public static class SpecialFiles
{
    /// <summary>Makes a FIFO (named pipe) at <paramref name="path"/>: opening it for reading waits for a writer.</summary>
    public static void MakeFifo(string path) => Run("mkfifo", path);

    /// <summary>
    /// Makes a Unix domain socket file at <paramref name="path"/>. Python binds it: .NET deletes the file of a socket it
    /// bound when the socket is disposed.
    /// </summary>
    public static void MakeSocket(string path)
    {
        Run("/usr/bin/python3", "-c", "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", path);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"No socket file was left at {path}.");
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {error}");
        }
    }
}
