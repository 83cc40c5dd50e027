using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NasPacs.Api.Health;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (databases and NAS roots).</summary>
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

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString().ToLowerInvariant(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
