namespace NasPacs.Api.Security;

/// <summary>Sign-in, throttling and bootstrap settings, section <c>NasPacs:Security</c>. Validated at start-up.</summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Security";

    /// <summary>The environment variable that gives the first admin's password (read only while no user exists).</summary>
    public const string AdminPasswordVariable = "NASPACS_ADMIN_PASSWORD";

    /// <summary>
    /// The first admin's password, used once, when <c>{DataPath}/security.db</c> holds no user. Default none: then
    /// <see cref="AdminPasswordVariable"/>, then <see cref="AdminPasswordFile"/>, else a one-time secret is printed to the
    /// console (never to the log). At least 12 characters.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>A file whose first line is the first admin's password (a container secret). Default none.</summary>
    public string? AdminPasswordFile { get; set; }

    /// <summary>How long a browser session lasts without activity (sliding). Default 8 h; 5 min to 7 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Sign-in attempts one client address may make per minute. Default 20; 1 to 10,000.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>Failed sign-ins of one user before each further attempt must wait (doubling). Default 5; 1 to 100.</summary>
    public int FailuresBeforeBackoff { get; set; } = 5;

    /// <summary>The longest wait the back-off imposes. Default 15 min; 1 s to 24 h.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>API requests one user (or one anonymous address) may make per minute, as a token bucket. Default 1,200; 10 to 1,000,000.</summary>
    public int ApiRequestsPerMinute { get; set; } = 1200;

    /// <summary>The shortest password a user may be given. Default 12; 8 to 128.</summary>
    public int MinPasswordLength { get; set; } = 12;

    /// <summary>
    /// A certificate with a private key (<c>.pfx</c>) that encrypts the Data Protection key ring in
    /// <c>{DataPath}/keys</c> at rest. Default none: the key ring is stored unencrypted (mode 0700) and the server warns at
    /// start. Use a long-lived certificate of its own, not the HTTPS one: keys written with it cannot be read without it.
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>The password of <see cref="KeyRingCertificatePath"/>: environment or secret file only (it unlocks the key ring, so it cannot be a protected value).</summary>
    public string? KeyRingCertificatePassword { get; set; }
}

/// <summary>HTTPS settings, section <c>NasPacs:Https</c>. Off by default (plain HTTP on 127.0.0.1 for a first look).</summary>
public sealed class HttpsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Https";

    /// <summary>Serve HTTPS with <see cref="CertificatePath"/>, redirect HTTP to it and send HSTS. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>A PKCS#12 (<c>.pfx</c>) file, or a PEM certificate when <see cref="KeyPath"/> is set. Required when enabled.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>; empty for a <c>.pfx</c>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The <c>.pfx</c> (or encrypted PEM key) password; set it through the environment, a secret file or a protected value.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// The HTTPS port that HTTP requests are redirected to (behind a proxy: the port clients see). Default none: the port
    /// of the <c>https://</c> address the server listens on; 1 to 65,535.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The HSTS max-age. Default 365 days; 0 to 2 years.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
