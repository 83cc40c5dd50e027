using NasPacs.Abstractions.Indexing;
using NasPacs.Sharing;

namespace NasPacs.Api.Shares;

/// <summary>The body of <c>POST /api/shares</c>.</summary>
/// <param name="Root">The root holding the series; empty for the default root.</param>
/// <param name="SeriesKey">The series key.</param>
/// <param name="ExpiresInHours">Hours until the link expires; empty for the default (24 h).</param>
/// <param name="Password">A password for the link; empty for none.</param>
/// <param name="MaxDownloads">Downloads allowed; empty for no limit.</param>
/// <param name="Note">A message shown on the landing page.</param>
/// <param name="ShowDetails">Show modality, dates, descriptions and counts on the landing page.</param>
/// <param name="ShowPatient">Show the patient's name and ID on the landing page.</param>
/// <param name="Compression">stored (default) or deflate.</param>
internal sealed record CreateShareBody(
    string? Root,
    string? SeriesKey,
    double? ExpiresInHours,
    string? Password,
    int? MaxDownloads,
    string? Note,
    bool ShowDetails,
    bool ShowPatient,
    ShareCompression? Compression);

/// <summary>A link as the UI lists it, with a short label of its series (never the token).</summary>
internal sealed record ShareView(
    long Id,
    string Root,
    string SeriesKey,
    string? SeriesLabel,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    ShareState State,
    bool HasPassword,
    int? MaxDownloads,
    int Downloads,
    int Accesses,
    DateTimeOffset? LastAccessed,
    string? Note,
    bool ShowDetails,
    bool ShowPatient,
    ShareCompression Compression)
{
    public static ShareView From(ShareInfo share, SeriesSummary? series, DateTimeOffset now) => new(
        share.Id, share.Root, share.SeriesKey,
        series is null ? null : string.Join(" · ", new[] { series.PatientName?.Replace('^', ' ').Trim(), series.Modality, series.SeriesDescription, series.StudyDate }.Where(v => !string.IsNullOrWhiteSpace(v))),
        share.CreatedBy, share.CreatedAt, share.ExpiresAt, share.RevokedAt, share.StateAt(now), share.HasPassword, share.MaxDownloads,
        share.Downloads, share.Accesses, share.LastAccessed, share.Note, share.ShowDetails, share.ShowPatient, share.Compression);
}

/// <summary>A new link: the only answer that carries the token.</summary>
internal sealed record CreatedShareView(ShareView Share, string Url);

/// <summary>A page of links.</summary>
internal sealed record SharePage(IReadOnlyList<ShareView> Items, long Total, int Page, int PageSize);

/// <summary>A page of a link's access log.</summary>
internal sealed record AccessLogPage(IReadOnlyList<ShareAccessRecord> Items, long Total, int Page, int PageSize);
