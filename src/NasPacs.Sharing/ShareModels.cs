namespace NasPacs.Sharing;

/// <summary>How the files of a share are stored in its zip.</summary>
public enum ShareCompression
{
    /// <summary>No compression (the default): pixel data rarely shrinks, and the download runs at disk speed.</summary>
    Stored,

    /// <summary>Deflate: smaller for uncompressed pixel data, slower.</summary>
    Deflate,
}

/// <summary>What a sharer asks for.</summary>
public sealed record ShareRequest
{
    /// <summary>The NAS root that holds the series.</summary>
    public required string Root { get; init; }

    /// <summary>The series key in that root's index.</summary>
    public required string SeriesKey { get; init; }

    /// <summary>Who creates the link (a user name; <c>anonymous</c> without authentication).</summary>
    public string CreatedBy { get; init; } = "anonymous";

    /// <summary>How long the link lives; <see langword="null"/> takes <see cref="ShareOptions.DefaultExpiry"/>.</summary>
    public TimeSpan? ExpiresIn { get; init; }

    /// <summary>A password the recipient must type, or <see langword="null"/> for none.</summary>
    public string? Password { get; init; }

    /// <summary>How many downloads the link allows, or <see langword="null"/> for no limit.</summary>
    public int? MaxDownloads { get; init; }

    /// <summary>A message from the sharer shown on the landing page (at most 500 characters).</summary>
    public string? Note { get; init; }

    /// <summary>Show modality, study date, study and series description and file count on the landing page. Default no.</summary>
    public bool ShowDetails { get; init; }

    /// <summary>Show the patient's name and ID on the landing page. Default no.</summary>
    public bool ShowPatient { get; init; }

    /// <summary>How the zip stores the files.</summary>
    public ShareCompression Compression { get; init; } = ShareCompression.Stored;
}

/// <summary>Where a link stands.</summary>
public enum ShareState
{
    /// <summary>Usable.</summary>
    Active,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked by a user.</summary>
    Revoked,

    /// <summary>Its maximum number of downloads has been reached.</summary>
    Exhausted,
}

/// <summary>One share link as stored (never its token).</summary>
public sealed record ShareInfo
{
    /// <summary>The share's id (not a secret).</summary>
    public required long Id { get; init; }

    /// <summary>The NAS root.</summary>
    public required string Root { get; init; }

    /// <summary>The series key.</summary>
    public required string SeriesKey { get; init; }

    /// <summary>Who created it.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When it was revoked, if it was.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Whether a password protects it.</summary>
    public bool HasPassword { get; init; }

    /// <summary>The download limit, if any.</summary>
    public int? MaxDownloads { get; init; }

    /// <summary>Downloads started so far.</summary>
    public int Downloads { get; init; }

    /// <summary>Granted accesses (page views, unlocks and downloads).</summary>
    public int Accesses { get; init; }

    /// <summary>The last granted access.</summary>
    public DateTimeOffset? LastAccessed { get; init; }

    /// <summary>The sharer's message.</summary>
    public string? Note { get; init; }

    /// <summary>Whether the landing page shows series details.</summary>
    public bool ShowDetails { get; init; }

    /// <summary>Whether the landing page shows the patient's name and ID.</summary>
    public bool ShowPatient { get; init; }

    /// <summary>How the zip stores the files.</summary>
    public ShareCompression Compression { get; init; }

    /// <summary>Where the link stands at <paramref name="now"/>.</summary>
    public ShareState StateAt(DateTimeOffset now)
        => RevokedAt is not null ? ShareState.Revoked
        : now >= ExpiresAt ? ShareState.Expired
        : MaxDownloads is { } max && Downloads >= max ? ShareState.Exhausted
        : ShareState.Active;
}

/// <summary>A new link: its stored record and the token, which exists only here and in the link given to the sharer.</summary>
/// <param name="Share">The stored record.</param>
/// <param name="Token">The secret token (43 URL-safe characters). Never log or store it.</param>
public sealed record CreatedShare(ShareInfo Share, string Token);

/// <summary>Who is asking, for the access log and the per-client limits.</summary>
/// <param name="IpAddress">The client's address, if known.</param>
/// <param name="UserAgent">The client's User-Agent header, if any (stored cut to 512 characters).</param>
public sealed record ShareClient(string? IpAddress, string? UserAgent);

/// <summary>What a public request wants.</summary>
public enum ShareAction
{
    /// <summary>The landing page.</summary>
    View,

    /// <summary>A password try.</summary>
    Unlock,

    /// <summary>The zip.</summary>
    Download,
}

/// <summary>The answer to a public request. Everything but <see cref="Granted"/> and <see cref="PasswordRequired"/> shows the same neutral page.</summary>
public enum ShareOutcome
{
    /// <summary>Allowed.</summary>
    Granted,

    /// <summary>The link is valid but needs its password first.</summary>
    PasswordRequired,

    /// <summary>The password was wrong.</summary>
    WrongPassword,

    /// <summary>Too many failures from this client or on this link: try again after <see cref="ShareAccess.RetryAfter"/>.</summary>
    Throttled,

    /// <summary>Not a token at all (wrong length or characters).</summary>
    Malformed,

    /// <summary>A well-formed token that matches no link.</summary>
    Unknown,

    /// <summary>Past its expiry.</summary>
    Expired,

    /// <summary>Revoked.</summary>
    Revoked,

    /// <summary>No downloads left.</summary>
    Exhausted,
}

/// <summary>The result of a public request.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Share">The link, when the token matched one (for the caller only; never show it for a refusal).</param>
/// <param name="RetryAfter">For <see cref="ShareOutcome.Throttled"/>: how long to wait.</param>
public sealed record ShareAccess(ShareOutcome Outcome, ShareInfo? Share, TimeSpan? RetryAfter = null)
{
    /// <summary>Whether the request may proceed.</summary>
    public bool IsGranted => Outcome == ShareOutcome.Granted;
}

/// <summary>One row of a share's access log.</summary>
/// <param name="Id">The row id.</param>
/// <param name="ShareId">The share, or <see langword="null"/> for unknown and malformed tokens.</param>
/// <param name="At">When.</param>
/// <param name="IpAddress">The client's address.</param>
/// <param name="UserAgent">The client's User-Agent.</param>
/// <param name="Action">What was asked.</param>
/// <param name="Outcome">What was answered.</param>
public sealed record ShareAccessRecord(long Id, long? ShareId, DateTimeOffset At, string? IpAddress, string? UserAgent, ShareAction Action, ShareOutcome Outcome);

/// <summary>The design's share statistics.</summary>
/// <param name="Total">Links ever created.</param>
/// <param name="Active">Links usable now.</param>
/// <param name="Expired">Links past their expiry (not revoked).</param>
/// <param name="Revoked">Links revoked.</param>
/// <param name="Exhausted">Links with no downloads left.</param>
/// <param name="Downloads">Downloads started over all links.</param>
/// <param name="GrantedAccesses">Granted public requests.</param>
/// <param name="RefusedAccesses">Refused public requests (wrong password, bad or dead token, throttled).</param>
public sealed record ShareStatistics(long Total, long Active, long Expired, long Revoked, long Exhausted, long Downloads, long GrantedAccesses, long RefusedAccesses);
