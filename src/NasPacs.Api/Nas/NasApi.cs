using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Nas;

/// <summary>NAS connection tests.</summary>
internal static class NasApi
{
    public static RouteGroupBuilder MapNasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/nas").WithTags("NAS");
        group.MapGet("/test", TestAsync).WithName("TestNasConnection")
            .WithSummary("Tests a root: reachable, readable, listing and read rates, latency, and concrete suggestions.");
        return group;
    }

    private static async Task<Results<Ok<ConnectionReport>, ValidationProblem>> TestAsync(
        RootCatalog catalog, ConnectionProbe probe, string? root, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        return errors.Any ? errors.Problem() : TypedResults.Ok(await probe.TestAsync(target, cancellationToken).ConfigureAwait(false));
    }
}
