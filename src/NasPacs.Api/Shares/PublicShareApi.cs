using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Roots;
using NasPacs.Sharing;
using NasPacs.Sharing.Zip;

namespace NasPacs.Api.Shares;

/// <summary>
/// The public side of share links: <c>/s/{token}</c> (landing page and password form) and <c>/s/{token}/download</c>
/// (the zip). Refusals of every kind look the same; every request lands in the access log.
/// </summary>
internal static class PublicShareApi
{
    private const int MaxFormBytes = 8 * 1024;

    public static void MapPublicShares(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/s").WithTags("Share links").ExcludeFromDescription();
        group.MapGet("/{token}", LandingAsync).WithName("ShareLanding").RequireRateLimiting(SharesComposition.PagesPolicy);
        group.MapPost("/{token}", UnlockAsync).WithName("ShareUnlock").RequireRateLimiting(SharesComposition.PagesPolicy);
        group.MapGet("/{token}/download", DownloadAsync).WithName("ShareDownload").RequireRateLimiting(SharesComposition.DownloadsPolicy);
    }

    private static async Task LandingAsync(HttpContext context, string token, IShareManager shares, ShareUnlocks unlocks, IAntiforgery antiforgery, RootCatalog catalog)
    {
        var access = await shares.AuthorizeAsync(token, ShareAction.View, Client(context), unlocks.IsUnlocked(context, token), context.RequestAborted).ConfigureAwait(false);
        switch (access.Outcome)
        {
            case ShareOutcome.Granted:
                var share = access.Share!;
                var series = share.ShowDetails || share.ShowPatient ? await FindSeriesAsync(catalog, share, context.RequestAborted).ConfigureAwait(false) : null;
                await SharePages.WriteAsync(context, SharePages.Landing(token, share, series), StatusCodes.Status200OK).ConfigureAwait(false);
                break;
            case ShareOutcome.PasswordRequired:
                await PasswordFormAsync(context, token, antiforgery, wrong: false, StatusCodes.Status200OK).ConfigureAwait(false);
                break;
            default:
                await RefuseAsync(context, access).ConfigureAwait(false);
                break;
        }
    }

    private static async Task UnlockAsync(HttpContext context, string token, IShareManager shares, ShareUnlocks unlocks, IAntiforgery antiforgery)
    {
        if (context.Request.ContentLength is null or > MaxFormBytes || !context.Request.HasFormContentType)
        {
            await SharePages.WriteAsync(context, SharePages.BadForm(), StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        try
        {
            await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            await SharePages.WriteAsync(context, SharePages.BadForm(), StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var password = form["password"].ToString();
        var access = await shares.UnlockAsync(token, password, Client(context), context.RequestAborted).ConfigureAwait(false);
        switch (access.Outcome)
        {
            case ShareOutcome.Granted:
                unlocks.Unlock(context, token, access.Share!);
                SharePages.NoStore(context.Response);
                context.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.Response.Headers.Location = "/s/" + token;
                break;
            case ShareOutcome.WrongPassword:
                await PasswordFormAsync(context, token, antiforgery, wrong: true, StatusCodes.Status403Forbidden).ConfigureAwait(false);
                break;
            default:
                await RefuseAsync(context, access).ConfigureAwait(false);
                break;
        }
    }

    private static async Task DownloadAsync(
        HttpContext context, string token, IShareManager shares, ShareUnlocks unlocks, RootCatalog catalog, ISeriesZipStreamer zipper)
    {
        var access = await shares.AuthorizeAsync(token, ShareAction.Download, Client(context), unlocks.IsUnlocked(context, token), context.RequestAborted).ConfigureAwait(false);
        if (access.Outcome == ShareOutcome.PasswordRequired)
        {
            SharePages.NoStore(context.Response);
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = "/s/" + token;
            return;
        }

        if (!access.IsGranted)
        {
            await RefuseAsync(context, access).ConfigureAwait(false);
            return;
        }

        var share = access.Share!;
        var root = catalog.Find(share.Root);
        var series = root is null ? null : await root.Query.GetSeriesAsync(share.SeriesKey, context.RequestAborted).ConfigureAwait(false);
        if (root is null || series is null)
        {
            // The root left the configuration or the series left the index: nothing to give, and nothing to explain publicly.
            await SharePages.WriteAsync(context, SharePages.Unavailable(), StatusCodes.Status404NotFound).ConfigureAwait(false);
            return;
        }

        IFileSource source;
        try
        {
            source = root.OpenSource();
        }
        catch (FileSourceException)
        {
            await SharePages.WriteAsync(context, SharePages.Unreachable(), StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            return;
        }

        await using (source.ConfigureAwait(false))
        {
            var response = context.Response;
            SharePages.NoStore(response);
            response.ContentType = "application/zip";
            response.Headers.ContentDisposition = $"attachment; filename=\"{zipper.ArchiveFileName(series)}\"";
            try
            {
                // Straight into Kestrel's pipe: the zipper reads the files into its memory and flushes as it goes.
                await zipper.WriteAsync(response.BodyWriter, new SeriesZipRequest(series, root.Query, source, share.Compression), context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client went away (the request was aborted or the connection stopped reading); the reads have stopped.
            }
        }
    }

    private static async Task<SeriesSummary?> FindSeriesAsync(RootCatalog catalog, ShareInfo share, CancellationToken cancellationToken)
    {
        var root = catalog.Find(share.Root);
        return root is null ? null : await root.Query.GetSeriesAsync(share.SeriesKey, cancellationToken).ConfigureAwait(false);
    }

    private static async Task PasswordFormAsync(HttpContext context, string token, IAntiforgery antiforgery, bool wrong, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        await SharePages.WriteAsync(context, SharePages.Password(token, tokens.RequestToken!, tokens.FormFieldName, wrong), status).ConfigureAwait(false);
    }

    /// <summary>Throttled clients get 429 with Retry-After; every other refusal the same neutral 404.</summary>
    private static Task RefuseAsync(HttpContext context, ShareAccess access)
    {
        if (access.Outcome == ShareOutcome.Throttled)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling((access.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return SharePages.WriteAsync(context, SharePages.TooMany(), StatusCodes.Status429TooManyRequests);
        }

        return SharePages.WriteAsync(context, SharePages.Unavailable(), StatusCodes.Status404NotFound);
    }

    private static ShareClient Client(HttpContext context)
        => new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null);
}
