using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// <see cref="LatencyProxy"/> in a child process (this program with <c>proxy</c> as its first argument): its CPU is
/// then its own, apart from the client's. The child prints its port and runs until its standard input closes.
/// </summary>
internal sealed class ProxyProcess : IDisposable
{
    private readonly Process _process;

    private ProxyProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>CPU (user + system) the proxy has used so far.</summary>
    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static ProxyProcess Start(int targetPort, double delayMs)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ProxyProcess).Assembly.Location);
        }

        start.ArgumentList.Add("proxy");
        start.ArgumentList.Add(targetPort.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(delayMs.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start)!;
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The proxy process did not start.");
        return new ProxyProcess(process, int.Parse(line, CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: proxy to 127.0.0.1:<c>args[1]</c> with <c>args[2]</c> ms each way until stdin closes.</summary>
    public static async Task ServeAsync(string[] args)
    {
        var target = new IPEndPoint(IPAddress.Loopback, int.Parse(args[1], CultureInfo.InvariantCulture));
        using var proxy = new LatencyProxy(target, TimeSpan.FromMilliseconds(double.Parse(args[2], CultureInfo.InvariantCulture)));
        Console.WriteLine(proxy.Port.ToString(CultureInfo.InvariantCulture));
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
    }

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(5000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
