namespace NasPacs.Api.Hosting;

/// <summary>The server's settings, section <c>NasPacs</c>. Validated at start-up; every message names the setting.</summary>
public sealed class NasPacsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs";

    /// <summary>
    /// Folder for the SQLite indexes (one per root, <c>{name}.db</c>), their status files and the generated sample NAS.
    /// Default <c>data</c>, relative to the content root. Created when missing.
    /// </summary>
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// The NAS roots by name (letters, digits, <c>-</c> and <c>_</c>, at most 40). Each is a local, mounted or UNC folder
    /// or an <c>smb://host[:port]/share/path</c> URI. Default none: then the sample root is used.
    /// </summary>
    public Dictionary<string, NasRootOptions> Roots { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// With no root configured, write a small synthetic sample NAS into <c>{DataPath}/sample-nas</c> on first start and
    /// serve it as the root <c>sample</c>. Default <see langword="true"/>.
    /// </summary>
    public bool GenerateSample { get; set; } = true;

    /// <summary>Start a run on every root whose index is still empty when the server starts. Default <see langword="true"/>.</summary>
    public bool IndexEmptyRootsOnStart { get; set; } = true;

    /// <summary>
    /// Times of day (server local time, <c>HH:mm</c>) at which every root is re-indexed, for example <c>["02:00"]</c>. A
    /// re-index reads only new and changed files. Default none: runs start from the dashboard, the API or the CLI. At most
    /// 24 times.
    /// </summary>
    public List<TimeOnly> ReindexAt { get; } = [];

    /// <summary>How often the live status is pushed to dashboards while a run is active. Default 500 ms; 100 ms to 1 s.</summary>
    public TimeSpan LiveStatusInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}

/// <summary>One NAS root. Credentials of SMB roots come from the environment or user secrets, never from a plain file.</summary>
public sealed class NasRootOptions
{
    /// <summary>A folder (<c>/mnt/nas/dicom</c>, <c>\\nas\share\dicom</c>) or <c>smb://host[:port]/share/path</c>. Required.</summary>
    public string Path { get; set; } = "";

    /// <summary>SMB user for this root; empty takes <c>Smb:User</c>.</summary>
    public string? User { get; set; }

    /// <summary>SMB password for this root; empty takes <c>Smb:Password</c>. Set it through the environment or user secrets.</summary>
    public string? Password { get; set; }

    /// <summary>SMB domain for this root; empty takes <c>Smb:Domain</c>.</summary>
    public string? Domain { get; set; }

    /// <summary>Whether <see cref="Path"/> is an <c>smb://</c> URI.</summary>
    public bool IsSmb => Path.StartsWith("smb://", StringComparison.OrdinalIgnoreCase);
}
