using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;
using NasPacs.Sharing;

namespace NasPacs.Api.Shares;

/// <summary>Composes NasPacs.Sharing into the server: share-link services, the /api/shares routes and the public /s/{token} routes.</summary>
internal static class SharesComposition
{
    /// <summary>The rate-limit policy of the landing pages (per client address, fixed window of one minute).</summary>
    public const string PagesPolicy = "share-pages";

    /// <summary>The rate-limit policy of downloads (per client address, concurrent downloads).</summary>
    public const string DownloadsPolicy = "share-downloads";

    private const string Section = $"{NasPacsOptions.Section}:Sharing";

    public static IServiceCollection AddShares(this IServiceCollection services)
    {
        services.AddNasSharing().BindConfiguration(Section).ValidateOnStart();

        // The database lives beside the indexes: {DataPath}/shares.db, unless Sharing:DatabasePath names another file.
        services.AddOptions<ShareOptions>().PostConfigure<IOptions<NasPacsOptions>, IHostEnvironment>((share, nas, environment) =>
        {
            if (string.IsNullOrWhiteSpace(share.DatabasePath))
            {
                share.DatabasePath = Path.Combine(Path.GetFullPath(nas.Value.DataPath, environment.ContentRootPath), "shares.db");
            }
        });
        services.AddOptions<ShareLinkOptions>().BindConfiguration(Section).ValidateOnStart()
            .Validate(o => o.PagesPerMinute is >= 1 and <= 10_000, $"{Section}:PagesPerMinute must be 1 to 10000.")
            .Validate(o => o.ParallelDownloadsPerClient is >= 1 and <= 1000, $"{Section}:ParallelDownloadsPerClient must be 1 to 1000.")
            .Validate(o => o.UnlockLifetime >= TimeSpan.FromMinutes(1) && o.UnlockLifetime <= TimeSpan.FromDays(1), $"{Section}:UnlockLifetime must be 00:01:00 to 1.00:00:00.")
            .Validate(o => o.PublicBaseUrl.Length == 0 || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out _), $"{Section}:PublicBaseUrl must be an absolute http(s) address or empty.");
        services.AddAntiforgery();
        services.AddSingleton<ShareUnlocks>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ShareLinkOptions>>((limiter, links) => AddPolicies(limiter, links.Value));
        return services;
    }

    public static IEndpointRouteBuilder MapShares(this IEndpointRouteBuilder app)
    {
        app.MapSharesApi();
        app.MapPublicShares();
        return app;
    }

    private static void AddPolicies(RateLimiterOptions limiter, ShareLinkOptions links)
    {
        limiter.AddPolicy(PagesPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
            Client(context),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = links.PagesPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        limiter.AddPolicy(DownloadsPolicy, context => RateLimitPartition.GetConcurrencyLimiter(
            Client(context),
            _ => new ConcurrencyLimiterOptions { PermitLimit = links.ParallelDownloadsPerClient, QueueLimit = 0 }));

        // Only the public share routes are answered here; other features' policies keep the server's own handling.
        var previous = limiter.OnRejected;
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            if (context.HttpContext.Request.Path.StartsWithSegments("/s"))
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                {
                    response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                await SharePages.WriteAsync(context.HttpContext, SharePages.TooMany(), StatusCodes.Status429TooManyRequests).ConfigureAwait(false);
                return;
            }

            if (previous is not null)
            {
                await previous(context, cancellationToken).ConfigureAwait(false);
            }
        };
    }

    private static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
