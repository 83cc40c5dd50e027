namespace NasPacs.Sharing;

/// <summary>Settings of share links (server section <c>NasPacs:Sharing</c>). Validated at start-up.</summary>
public sealed class ShareOptions
{
    /// <summary>The SQLite file of shares and their access log. Required; the server uses <c>{DataPath}/shares.db</c>.</summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>How long a link lives when the sharer names no expiry. Default 24 h; 1 minute to <see cref="MaxExpiry"/>.</summary>
    public TimeSpan DefaultExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest expiry a sharer may choose. Default 30 days; 1 minute to 365 days.</summary>
    public TimeSpan MaxExpiry { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The largest maximum-downloads value a sharer may set. Default 1,000; 1 to 1,000,000.</summary>
    public int MaxDownloadsLimit { get; set; } = 1000;

    /// <summary>
    /// PBKDF2-SHA256 iterations for link passwords. Default 600,000 (OWASP 2023); 10,000 to 10,000,000. Changing it
    /// affects new passwords only: each hash records its own count.
    /// </summary>
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>Shortest password accepted. Default 8; 4 to 128.</summary>
    public int MinPasswordLength { get; set; } = 8;

    /// <summary>Wrong passwords in a row on one link before it refuses tries for a while. Default 5; 1 to 100.</summary>
    public int ShareFailureLimit { get; set; } = 5;

    /// <summary>Failures (wrong passwords, unknown or malformed tokens) from one client before it is refused for a while. Default 10; 1 to 1,000.</summary>
    public int ClientFailureLimit { get; set; } = 10;

    /// <summary>The first refusal after a limit is reached; each further failure doubles it. Default 30 s; 1 s to 1 h.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest refusal. Default 1 h; at least <see cref="FailureBackoff"/>, at most 1 day.</summary>
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A client's failures are forgotten after this long without one. Default 15 minutes; 1 minute to 1 day.</summary>
    public TimeSpan ClientFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Bytes read from the NAS per read while zipping. Default 256 KiB; 4 KiB to 16 MiB.</summary>
    public int ReadBufferSize { get; set; } = 256 * 1024;
}
