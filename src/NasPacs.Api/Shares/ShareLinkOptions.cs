namespace NasPacs.Api.Shares;

/// <summary>The server's side of share links (section <c>NasPacs:Sharing</c>, next to the library's <c>ShareOptions</c>).</summary>
public sealed class ShareLinkOptions
{
    /// <summary>
    /// The address recipients reach the server at (for example <c>https://pacs.example.org</c>), used to build links.
    /// Default empty: the scheme and host of the request that creates the link.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Requests per minute one client may make to the landing pages (<c>/s/{token}</c>, GET and POST). Default 30; 1 to 10,000.</summary>
    public int PagesPerMinute { get; set; } = 30;

    /// <summary>Downloads one client may run at once. Default 4; 1 to 1,000.</summary>
    public int ParallelDownloadsPerClient { get; set; } = 4;

    /// <summary>How long a correct password unlocks a link in that browser (never beyond the link's expiry). Default 2 h; 1 minute to 1 day.</summary>
    public TimeSpan UnlockLifetime { get; set; } = TimeSpan.FromHours(2);
}
