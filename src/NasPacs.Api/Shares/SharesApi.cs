using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;
using NasPacs.Sharing;

namespace NasPacs.Api.Shares;

/// <summary>Share links for the UI: create, list, revoke, statistics, access log. (Issue #8 puts its policies on this group.)</summary>
internal static class SharesApi
{
    public static RouteGroupBuilder MapSharesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/shares").WithTags("Shares");
        group.MapPost("/", CreateAsync).WithName("CreateShare").WithSummary("Creates a link to one series; the answer holds the link, shown only once.");
        group.MapGet("/", ListAsync).WithName("ListShares").WithSummary("Links, newest first, paged.");
        group.MapGet("/stats", StatisticsAsync).WithName("GetShareStatistics").WithSummary("Counts over all links.");
        group.MapGet("/{id:long}", GetAsync).WithName("GetShare").WithSummary("One link.");
        group.MapDelete("/{id:long}", RevokeAsync).WithName("RevokeShare").WithSummary("Revokes a link at once.");
        group.MapGet("/{id:long}/access-log", AccessLogAsync).WithName("GetShareAccessLog").WithSummary("Every request on a link's public pages, newest first.");
        return group;
    }

    private static async Task<Results<Created<CreatedShareView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateShareBody? body, HttpContext context, RootCatalog catalog, IShareManager shares, IOptions<ShareLinkOptions> links, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (body is null)
        {
            errors.Add("body", "A JSON body with series_key is required.");
            return errors.Problem();
        }

        // Without a root, the series is looked for in every root, as GET /api/series does (the series page knows no root).
        IReadOnlyCollection<NasRoot> roots = string.IsNullOrWhiteSpace(body.Root) ? catalog.All : [errors.Root(catalog, body.Root)];
        if (string.IsNullOrWhiteSpace(body.SeriesKey) || body.SeriesKey.Length > 1024)
        {
            errors.Add("series_key", "series_key must be a series key of 1 to 1,024 characters.");
        }

        if (body.ExpiresInHours is { } hours && (double.IsNaN(hours) || hours <= 0 || hours > 24 * 366))
        {
            errors.Add("expires_in_hours", "expires_in_hours must be a positive number of hours.");
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        NasRoot? root = null;
        SeriesSummary? series = null;
        foreach (var candidate in roots)
        {
            series = await candidate.Query.GetSeriesAsync(body.SeriesKey!, cancellationToken).ConfigureAwait(false);
            if (series is not null)
            {
                root = candidate;
                break;
            }
        }

        if (root is null || series is null)
        {
            return Problems.NotFound($"No series with key '{body.SeriesKey}' is in the index.");
        }

        CreatedShare created;
        try
        {
            created = await shares.CreateAsync(
                new ShareRequest
                {
                    Root = root.Name,
                    SeriesKey = series.SeriesKey,
                    CreatedBy = context.User.Identity?.Name ?? "anonymous",
                    ExpiresIn = body.ExpiresInHours is { } h ? TimeSpan.FromHours(h) : null,
                    Password = string.IsNullOrEmpty(body.Password) ? null : body.Password,
                    MaxDownloads = body.MaxDownloads,
                    Note = body.Note,
                    ShowDetails = body.ShowDetails,
                    ShowPatient = body.ShowPatient,
                    Compression = body.Compression ?? ShareCompression.Stored,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            errors.Add(Field(ex.ParamName), ex.Message.Split(" (Parameter", 2)[0]);
            return errors.Problem();
        }

        var baseUrl = links.Value.PublicBaseUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        var view = ShareView.From(created.Share, series, time.GetUtcNow());
        return TypedResults.Created($"/api/shares/{created.Share.Id}", new CreatedShareView(view, $"{baseUrl}/s/{created.Token}"));
    }

    private static async Task<Results<Ok<SharePage>, ValidationProblem>> ListAsync(
        string? page, string? pageSize, RootCatalog catalog, IShareManager shares, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var paging = errors.Paging(page, pageSize);
        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await shares.ListAsync(new PageRequest(paging.Offset, paging.Limit), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var items = new List<ShareView>(result.Items.Count);
        foreach (var share in result.Items)
        {
            var root = catalog.Find(share.Root);
            var series = root is null ? null : await root.Query.GetSeriesAsync(share.SeriesKey, cancellationToken).ConfigureAwait(false);
            items.Add(ShareView.From(share, series, now));
        }

        return TypedResults.Ok(new SharePage(items, result.Total, (paging.Offset / paging.Limit) + 1, paging.Limit));
    }

    private static async Task<Results<Ok<ShareView>, ProblemHttpResult>> GetAsync(long id, RootCatalog catalog, IShareManager shares, TimeProvider time, CancellationToken cancellationToken)
    {
        var share = await shares.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (share is null)
        {
            return Problems.NotFound($"No share link with id {id}.");
        }

        var root = catalog.Find(share.Root);
        var series = root is null ? null : await root.Query.GetSeriesAsync(share.SeriesKey, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(ShareView.From(share, series, time.GetUtcNow()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(long id, IShareManager shares, CancellationToken cancellationToken)
        => await shares.RevokeAsync(id, cancellationToken).ConfigureAwait(false) ? TypedResults.NoContent() : Problems.NotFound($"No share link with id {id}.");

    private static async Task<Ok<ShareStatistics>> StatisticsAsync(IShareManager shares, CancellationToken cancellationToken)
        => TypedResults.Ok(await shares.GetStatisticsAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<AccessLogPage>, ValidationProblem, ProblemHttpResult>> AccessLogAsync(
        long id, string? page, string? pageSize, IShareManager shares, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var paging = errors.Paging(page, pageSize);
        if (errors.Any)
        {
            return errors.Problem();
        }

        if (await shares.GetAsync(id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound($"No share link with id {id}.");
        }

        var result = await shares.GetAccessLogAsync(id, new PageRequest(paging.Offset, paging.Limit), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new AccessLogPage(result.Items, result.Total, (paging.Offset / paging.Limit) + 1, paging.Limit));
    }

    /// <summary>The API's snake_case name of a <see cref="ShareRequest"/> property.</summary>
    private static string Field(string? property) => property switch
    {
        nameof(ShareRequest.ExpiresIn) => "expires_in_hours",
        nameof(ShareRequest.MaxDownloads) => "max_downloads",
        nameof(ShareRequest.SeriesKey) => "series_key",
        null => "body",
        _ => property.ToLowerInvariant(),
    };
}
