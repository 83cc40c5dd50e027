using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasPacs.Api.Security;

namespace NasPacs.Api.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (databases and NAS roots), both anonymous.</summary>
internal static class HealthApi
{
    private const string Ready = "ready";

    public static IServiceCollection AddNasPacsHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<IndexDatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<NasRootsHealthCheck>("nas-roots", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).WithName("HealthLive");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).WithName("HealthReady");
        return app;
    }

    /// <summary>
    /// Load balancers call both routes without credentials, so everyone gets the overall status (and 503 when
    /// unhealthy). The checks name roots and can carry index error text: only a signed-in admin sees them.
    /// </summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var status = report.Status.ToString().ToLowerInvariant();
        if (!context.User.IsInRole(Roles.Admin))
        {
            return JsonSerializer.SerializeAsync(context.Response.Body, new { status }, cancellationToken: context.RequestAborted);
        }

        var body = new
        {
            status,
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
