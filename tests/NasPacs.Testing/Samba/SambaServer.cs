using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
namespace NasPacs.Testing.Samba;

/// <summary>
/// A real <c>smbd</c> on 127.0.0.1 with its own folders, port and user (recipe in shared/smb-notes.md).
/// Samba is required: a missing <c>smbd</c> fails the test loudly, in CI and out of it.
/// The share is <see cref="ShareName"/> at <see cref="Url"/>, read-only, for <see cref="UserName"/> / <see cref="Password"/>.
/// </summary>
public sealed class SambaServer : IDisposable
{
    public const string UserName = "smbtest";
    public const string Password = "Pw-smbtest-1";
    public const string Host = "127.0.0.1";
    public const string ShareName = "share";
    private static readonly SemaphoreSlim UserLock = new(1, 1);

    private readonly TempFolder _folder = new("naspacs-samba");
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SambaServer(string extraGlobal, string extraShare)
    {
        if (!File.Exists("/usr/sbin/smbd"))
        {
            throw new InvalidOperationException("Samba is not installed: apt-get install -y samba smbclient (the SMB tests need a real smbd).");
        }

        Port = FreePort();
        ShareFolder = Path.Combine(_folder.Path, "share");
        Directory.CreateDirectory(ShareFolder);
        foreach (var dir in new[] { "private", "lock", "state", "cache", "pid", "ncalrpc" })
        {
            Directory.CreateDirectory(Path.Combine(_folder.Path, dir));
        }

        var config = Path.Combine(_folder.Path, "smb.conf");
        File.WriteAllText(config, $"""
            [global]
            server role = standalone server
            workgroup = WORKGROUP
            interfaces = 127.0.0.1
            bind interfaces only = yes
            smb ports = {Port}
            disable netbios = yes
            server min protocol = SMB2_02
            passdb backend = tdbsam:{_folder.Path}/private/passdb.tdb
            private dir = {_folder.Path}/private
            lock directory = {_folder.Path}/lock
            state directory = {_folder.Path}/state
            cache directory = {_folder.Path}/cache
            pid directory = {_folder.Path}/pid
            ncalrpc dir = {_folder.Path}/ncalrpc
            log level = 1
            load printers = no
            printing = bsd
            printcap name = /dev/null
            disable spoolss = yes
            map to guest = never
            {extraGlobal}

            [{ShareName}]
            path = {ShareFolder}
            read only = yes
            valid users = {UserName}
            {extraShare}
            """);
        EnsureUser(config);

        _process = Process.Start(new ProcessStartInfo("/usr/sbin/smbd", ["--foreground", "--no-process-group", "--debug-stdout", "-s", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("smbd did not start.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilListening();
    }

    public int Port { get; }

    /// <summary>The share as an <c>smb://</c> root: <c>smb://127.0.0.1:port/share</c> (credentials are not part of it).</summary>
    public string Url => $"smb://{Host}:{Port}/{ShareName}";

    /// <summary>The folder the share serves; write test files here (they must be readable by the share user).</summary>
    public string ShareFolder { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a server; <paramref name="extraGlobal"/> and <paramref name="extraShare"/> are smb.conf lines added to <c>[global]</c> and the share (e.g. <c>server signing = mandatory</c>).</summary>
    public static SambaServer Start(string extraGlobal = "", string extraShare = "") => new(extraGlobal, extraShare);

    /// <summary>Kills the smbd children that serve connections (not the listener), cutting every open connection.</summary>
    public int KillConnections()
    {
        var children = ConnectionChildren();
        foreach (var pid in children)
        {
            Signal(pid, "KILL");
        }

        return children.Count;
    }

    /// <summary>Freezes (SIGSTOP) the smbd children serving connections: the server stops answering without closing anything.</summary>
    public IReadOnlyList<int> FreezeConnections()
    {
        var children = ConnectionChildren();
        foreach (var pid in children)
        {
            Signal(pid, "STOP");
        }

        return children;
    }

    /// <summary>The smbd children of this server that hold an established connection.</summary>
    public IReadOnlyList<int> ConnectionChildren()
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == _process.Id && IsConnectionChild(pid))
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return children;
    }

    /// <summary>Sends a signal to one process of this server, by its id.</summary>
    public static void Signal(int pid, string signal) => Run("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], null);

    /// <summary>Connection children hold a TCP socket to a client; the helper children (notifyd, cleanupd) do not.</summary>
    private bool IsConnectionChild(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target[8..^1]);
            }
        }

        var portHex = Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        return File.ReadAllLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f[1].EndsWith(":" + portHex, StringComparison.Ordinal) && f[3] == "01" && inodes.Contains(f[9]));
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("smbd exited at start:\n" + Log);
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException("smbd did not listen within 20 s:\n" + Log);
    }

    private static void EnsureUser(string config)
    {
        UserLock.Wait();
        try
        {
            if (Run("id", [UserName], null).ExitCode != 0)
            {
                var added = Run("useradd", ["-M", "-s", "/usr/sbin/nologin", UserName], null);
                if (added.ExitCode != 0 && Run("id", [UserName], null).ExitCode != 0)
                {
                    throw new InvalidOperationException("useradd smbtest failed: " + added.Output);
                }
            }

            var result = Run("smbpasswd", ["-c", config, "-s", "-a", UserName], $"{Password}\n{Password}\n");
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException("smbpasswd failed: " + result.Output);
            }
        }
        finally
        {
            UserLock.Release();
        }
    }

    private static (int ExitCode, string Output) Run(string file, string[] args, string? input)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _folder.Dispose();
    }
}
