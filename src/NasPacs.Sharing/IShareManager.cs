using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing;

/// <summary>
/// The design's SecureShareManager: creates links, checks public requests against them (logging every one), revokes,
/// lists and counts. Thread-safe. Tokens are never stored or logged; only their SHA-256 is kept.
/// </summary>
public interface IShareManager
{
    /// <summary>Creates a link.</summary>
    /// <exception cref="ArgumentException">A value is out of range; <see cref="ArgumentException.ParamName"/> names the field.</exception>
    Task<CreatedShare> CreateAsync(ShareRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a public request. <paramref name="unlocked"/> says the client has already given the password for this
    /// share (the caller keeps that proof). A granted download counts against the link's maximum.
    /// </summary>
    Task<ShareAccess> AuthorizeAsync(string token, ShareAction action, ShareClient client, bool unlocked, CancellationToken cancellationToken = default);

    /// <summary>Checks a password for a link, with per-link and per-client back-off.</summary>
    Task<ShareAccess> UnlockAsync(string token, string password, ShareClient client, CancellationToken cancellationToken = default);

    /// <summary>Revokes a link; <see langword="false"/> when there is no such link. Revoking twice keeps the first time.</summary>
    Task<bool> RevokeAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>One link, or <see langword="null"/>.</summary>
    Task<ShareInfo?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Links, newest first.</summary>
    Task<Page<ShareInfo>> ListAsync(PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>A link's access log, newest first.</summary>
    Task<Page<ShareAccessRecord>> GetAccessLogAsync(long id, PageRequest page, CancellationToken cancellationToken = default);

    /// <summary>Counts over all links.</summary>
    Task<ShareStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);
}
