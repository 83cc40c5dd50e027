using System.Globalization;

namespace NasPacs.Smb;

/// <summary>How to reach one SMB share and how hard to drive it. <see cref="ToString"/> never shows the password.</summary>
public sealed class SmbOptions
{
    /// <summary>Host name or IP address of the server. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>TCP port. Default 445; 1 to 65535.</summary>
    public int Port { get; set; } = 445;

    /// <summary>Share name. Required.</summary>
    public string Share { get; set; } = string.Empty;

    /// <summary>Folder inside the share that is the root of the file source, with <c>/</c> separators. Default empty (the share root).</summary>
    public string RootPath { get; set; } = string.Empty;

    /// <summary>NTLM domain or workgroup. Default empty.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>User name. Required unless <see cref="AllowGuest"/> is set.</summary>
    public string User { get; set; } = string.Empty;

    /// <summary>Password; take it from a secret store. Never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>Accept a session the server grants as guest. Default <see langword="false"/>: a guest session is an authentication failure.</summary>
    public bool AllowGuest { get; set; }

    /// <summary>Lowest dialect offered. Default <see cref="SmbProtocolVersion.Smb202"/>.</summary>
    public SmbProtocolVersion MinDialect { get; set; } = SmbProtocolVersion.Smb202;

    /// <summary>Highest dialect offered. Default <see cref="SmbProtocolVersion.Smb311"/>.</summary>
    public SmbProtocolVersion MaxDialect { get; set; } = SmbProtocolVersion.Smb311;

    /// <summary>Refuse to work unless every message is encrypted. Default <see langword="false"/>.</summary>
    public bool RequireEncryption { get; set; }

    /// <summary>Encrypt whenever the server supports SMB 3 encryption, even if it does not require it. Default <see langword="true"/>.</summary>
    public bool EncryptWhenOffered { get; set; } = true;

    /// <summary>Time to open the TCP connection and sign in. Default 10 s; 1 s to 5 min.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time one request may take before the connection is considered dead. Default 30 s; 1 s to 10 min.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections kept open to the server. Default 2; 1 to 16.</summary>
    public int PoolSize { get; set; } = 2;

    /// <summary>
    /// Most operations in flight at once over all connections. Default 128; 1 to 1024. The client adapts the number to
    /// the measured latency between <see cref="MinRequestsInFlight"/> and this bound.
    /// </summary>
    public int MaxRequestsInFlight { get; set; } = 128;

    /// <summary>
    /// Fewest operations the adaptive limit keeps in flight. Default 32; 1 to 1024, capped at <see cref="MaxRequestsInFlight"/>.
    /// A server that queues loses little from 32 waiting requests; a high-latency link loses much from too few.
    /// </summary>
    public int MinRequestsInFlight { get; set; } = 32;

    /// <summary>Bytes per READ when streaming a whole file. Default 1 MiB; 64 KiB to 8 MiB (the server's limit also applies).</summary>
    public int ReadChunkSize { get; set; } = 1 << 20;

    /// <summary>Output buffer of one QUERY_DIRECTORY. Default 256 KiB; 4 KiB to 1 MiB (the server's limit also applies).</summary>
    public int DirectoryBufferSize { get; set; } = 256 << 10;

    /// <summary>Times an operation is retried on a fresh connection after the connection dropped. Default 3; 0 to 10.</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>First pause before a retry; doubled each time. Default 200 ms; 0 to 1 min.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Fills <see cref="Host"/>, <see cref="Port"/>, <see cref="Share"/> and <see cref="RootPath"/> from <c>smb://host[:port]/share[/path]</c> (percent-escapes decoded).</summary>
    /// <exception cref="ArgumentException">The text is not such a URI, or it carries credentials.</exception>
    public SmbOptions WithUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string scheme = "smb://";
        if (!uri.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("An SMB root starts with smb://.", nameof(uri));
        }

        var rest = uri[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("Credentials do not belong in the SMB URI; set User and Password from the secret store.", nameof(uri));
        }

        var segments = (slash < 0 ? string.Empty : rest[(slash + 1)..]).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length == 0)
        {
            throw new ArgumentException("The SMB URI names no share: smb://host/share/path.", nameof(uri));
        }

        Port = 445;
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && !authority.EndsWith(']'))
        {
            Port = int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : throw new ArgumentException("The SMB URI has a bad port.", nameof(uri));
            authority = authority[..colon];
        }

        Host = authority.Trim('[', ']');
        Share = segments[0];
        RootPath = string.Join('/', segments.Skip(1));
        return this;
    }

    /// <summary>A copy to adjust without touching the caller's settings.</summary>
    internal SmbOptions Clone() => (SmbOptions)MemberwiseClone();

    /// <summary>The root as <c>smb://host[:port]/share/path</c>, without credentials.</summary>
    public string DisplayName
    {
        get
        {
            var port = Port == 445 ? string.Empty : ":" + Port.ToString(CultureInfo.InvariantCulture);
            var path = RootPath.Length == 0 ? string.Empty : "/" + RootPath.Trim('/');
            return $"smb://{Host}{port}/{Share}{path}";
        }
    }

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(problems, !string.IsNullOrWhiteSpace(Host), "Smb:Host is required.");
        Check(problems, !string.IsNullOrWhiteSpace(Share) && Share.IndexOfAny(['/', '\\']) < 0, "Smb:Share is required and holds no slash.");
        Check(problems, AllowGuest || !string.IsNullOrEmpty(User), "Smb:User is required unless Smb:AllowGuest is set.");
        problems.AddRange(ValidateTuning());
        return problems;
    }

    /// <summary>
    /// The problems with the settings shared by every root (ranges, dialects, timeouts), leaving out host, share and
    /// user, which a shared configuration section may leave to each root's <c>smb://</c> URI.
    /// </summary>
    public IReadOnlyList<string> ValidateTuning()
    {
        var problems = new List<string>();
        Check(problems, Port is >= 1 and <= 65535, "Smb:Port must be 1 to 65535.");
        Check(problems, MinDialect <= MaxDialect, "Smb:MinDialect must not be above Smb:MaxDialect.");
        Check(problems, !RequireEncryption || MaxDialect >= SmbProtocolVersion.Smb300, "Smb:RequireEncryption needs Smb:MaxDialect of Smb300 or higher.");
        Check(problems, ConnectTimeout >= TimeSpan.FromSeconds(1) && ConnectTimeout <= TimeSpan.FromMinutes(5), "Smb:ConnectTimeout must be 1 s to 5 min.");
        Check(problems, RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(10), "Smb:RequestTimeout must be 1 s to 10 min.");
        Check(problems, PoolSize is >= 1 and <= 16, "Smb:PoolSize must be 1 to 16.");
        Check(problems, MaxRequestsInFlight is >= 1 and <= 1024, "Smb:MaxRequestsInFlight must be 1 to 1024.");
        Check(problems, MinRequestsInFlight is >= 1 and <= 1024, "Smb:MinRequestsInFlight must be 1 to 1024.");
        Check(problems, ReadChunkSize is >= 64 << 10 and <= 8 << 20, "Smb:ReadChunkSize must be 64 KiB to 8 MiB.");
        Check(problems, DirectoryBufferSize is >= 4 << 10 and <= 1 << 20, "Smb:DirectoryBufferSize must be 4 KiB to 1 MiB.");
        Check(problems, RetryCount is >= 0 and <= 10, "Smb:RetryCount must be 0 to 10.");
        Check(problems, RetryDelay >= TimeSpan.Zero && RetryDelay <= TimeSpan.FromMinutes(1), "Smb:RetryDelay must be 0 to 1 min.");
        return problems;
    }

    /// <inheritdoc />
    public override string ToString() => $"{DisplayName} as {(Domain.Length > 0 ? Domain + "\\" : string.Empty)}{User}";

    private static void Check(List<string> problems, bool ok, string message)
    {
        if (!ok)
        {
            problems.Add(message);
        }
    }
}

/// <summary>SMB dialects the client can offer.</summary>
public enum SmbProtocolVersion
{
    /// <summary>SMB 2.0.2.</summary>
    Smb202 = 0x0202,

    /// <summary>SMB 2.1.</summary>
    Smb210 = 0x0210,

    /// <summary>SMB 3.0.</summary>
    Smb300 = 0x0300,

    /// <summary>SMB 3.0.2.</summary>
    Smb302 = 0x0302,

    /// <summary>SMB 3.1.1.</summary>
    Smb311 = 0x0311,
}
