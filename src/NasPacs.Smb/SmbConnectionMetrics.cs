namespace NasPacs.Smb;

/// <summary>The design's <c>get_connection_metrics</c>: what an SMB file source negotiated and how fast it runs.</summary>
/// <param name="Dialect">The dialect, for example <c>3.1.1</c>; empty before the first connection.</param>
/// <param name="Signing">Whether messages are signed, and with which algorithm (<c>HMAC-SHA256</c>, <c>AES-CMAC</c>, <c>AES-GMAC</c>).</param>
/// <param name="Encryption">The cipher when messages are encrypted, otherwise <see langword="null"/>.</param>
/// <param name="RoundTrip">Smoothed request round-trip time, server time included.</param>
/// <param name="ConnectionsOpened">Connections opened so far, replacements after drops included.</param>
/// <param name="FilesListed">Files seen by listings.</param>
/// <param name="FilesListedPerSecond">Files listed per second of listing.</param>
/// <param name="PrefixReads">Header (prefix) reads done.</param>
/// <param name="PrefixReadsPerSecond">Prefix reads per second over the time prefix reads were running.</param>
/// <param name="MaxRequestsInFlight">The in-flight limit the client has adapted to so far.</param>
public sealed record SmbConnectionMetrics(
    string Dialect,
    string? Signing,
    string? Encryption,
    TimeSpan RoundTrip,
    int ConnectionsOpened,
    long FilesListed,
    double FilesListedPerSecond,
    long PrefixReads,
    double PrefixReadsPerSecond,
    int MaxRequestsInFlight)
{
    /// <summary>The design's <c>suggest_optimization</c>: settings worth changing, given these measurements.</summary>
    public IReadOnlyList<string> Suggestions()
    {
        var suggestions = new List<string>();
        if (RoundTrip > TimeSpan.FromMilliseconds(2) && MaxRequestsInFlight < 256)
        {
            suggestions.Add($"The round trip is {RoundTrip.TotalMilliseconds:0.0} ms: keep many requests in flight (the adaptive limit is {MaxRequestsInFlight}; raise Smb:MaxRequestsInFlight and the indexer's parallelism if it sits at the maximum); SMB indexing time is round trips ÷ requests in flight.");
        }

        if (Dialect.Length > 0 && string.CompareOrdinal(Dialect, "3.0") < 0)
        {
            suggestions.Add("The NAS speaks only SMB 2: enable SMB 3 on it for encryption and faster signing.");
        }

        if (Encryption is not null && RoundTrip < TimeSpan.FromMilliseconds(1))
        {
            suggestions.Add("On a trusted, fast LAN, Smb:EncryptWhenOffered = false saves CPU if the share does not require encryption.");
        }

        return suggestions;
    }
}
