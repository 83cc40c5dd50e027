namespace NasPacs.OrthancBridge;

/// <summary>
/// The Orthanc server and how to talk to it (configuration section <c>NasPacs:Orthanc</c>). The password comes from the
/// environment (<c>NasPacs__Orthanc__Password</c>) or user secrets, never from a plain file; it is never logged.
/// </summary>
public sealed class OrthancOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Orthanc";

    /// <summary>Orthanc's HTTP address, for example <c>http://orthanc:8042</c>; no user name or password in it. Default none: the bridge is off.</summary>
    public Uri? Url { get; set; }

    /// <summary>The Orthanc user (one of its <c>RegisteredUsers</c>). Default none: no authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The user's password. Set it through the environment or user secrets.</summary>
    public string? Password { get; set; }

    /// <summary>Files uploaded at once, each on its own keep-alive connection. Default 4; 1 to 64.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Time allowed for one request, upload included. Default 60 s; 1 s to 1 h.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Time allowed to open a connection. Default 5 s; 100 ms to 2 min.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a request that failed transiently (refused, dropped, 5xx, timed out). Default 6; 0 to 20.</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>. Default 500 ms; 10 ms to 1 min.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between retries. Default 10 s; at least <see cref="RetryDelay"/>, at most 5 min.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long requests are held back once Orthanc keeps failing (the circuit breaker). Default 5 s; 500 ms to 5 min.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The push strategy: <c>copy</c> (upload every file with <c>POST /instances</c>). Default <c>copy</c>.</summary>
    public string Strategy { get; set; } = "copy";

    /// <summary>The label added to pushed series on Orthanc 1.12 and later (letters, digits, <c>-</c>, <c>_</c>). Default <c>naspacs</c>; empty adds none.</summary>
    public string? Label { get; set; } = "naspacs";

    /// <summary>The names of the series metadata written as provenance; each must be declared in Orthanc's <c>UserMetadata</c>.</summary>
    public OrthancMetadataNames Metadata { get; set; } = new();

    /// <summary>Recent pushes and finished jobs kept for the UI. Default 100; 1 to 10,000.</summary>
    public int HistorySize { get; set; } = 100;
}

/// <summary>
/// Series metadata names for provenance. Orthanc's configuration must declare each one, for example
/// <c>"UserMetadata": { "NasSource": 4500, "NasPath": 4501, "NasSeriesKey": 4502, "NasPushTime": 4503, "NasFileCount": 4504, "NasManifestHash": 4505 }</c>.
/// </summary>
public sealed class OrthancMetadataNames
{
    /// <summary>The NAS root's name and location. Default <c>NasSource</c>.</summary>
    public string Source { get; set; } = "NasSource";

    /// <summary>The series' folder relative to the NAS root. Default <c>NasPath</c>.</summary>
    public string Path { get; set; } = "NasPath";

    /// <summary>The NasPacs series key. Default <c>NasSeriesKey</c>.</summary>
    public string SeriesKey { get; set; } = "NasSeriesKey";

    /// <summary>When the series was last pushed (ISO 8601, UTC). Default <c>NasPushTime</c>.</summary>
    public string PushTime { get; set; } = "NasPushTime";

    /// <summary>Files of the series on the NAS. Default <c>NasFileCount</c>.</summary>
    public string FileCount { get; set; } = "NasFileCount";

    /// <summary>SHA-256 over the sorted SOP Instance UIDs, sizes and times of the files: a change means drift. Default <c>NasManifestHash</c>.</summary>
    public string ManifestHash { get; set; } = "NasManifestHash";

    /// <summary>All names, in a fixed order.</summary>
    public IReadOnlyList<string> All => [Source, Path, SeriesKey, PushTime, FileCount, ManifestHash];
}
