using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasPacs.Abstractions.Files;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Health;

/// <summary>
/// Degraded (not unhealthy) when a NAS root cannot be reached: search over what is already indexed still works.
/// A root is reachable when it opens and its listing yields a first file or ends, within five seconds.
/// </summary>
internal sealed class NasRootsHealthCheck(RootCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var unreachable = new List<string>();
        foreach (var root in catalog.All)
        {
            var problem = await ProbeAsync(root, cancellationToken).ConfigureAwait(false);
            data[root.Name] = problem ?? "reachable";
            if (problem is not null)
            {
                unreachable.Add(root.Name);
            }
        }

        return unreachable.Count == 0
            ? HealthCheckResult.Healthy("Every NAS root is reachable.", data)
            : HealthCheckResult.Degraded($"Unreachable NAS root(s): {string.Join(", ", unreachable)}.", data: data);
    }

    private static async Task<string?> ProbeAsync(NasRoot root, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var source = root.OpenSource();
            await using (source.ConfigureAwait(false))
            {
                string? folderError = null;
                var options = new FileEnumerationOptions { OnError = e => folderError ??= e.Code };
                await using var files = source.EnumerateAsync(options, limit.Token).GetAsyncEnumerator(limit.Token);
                var any = await files.MoveNextAsync().ConfigureAwait(false);
                return any || folderError is null ? null : folderError;
            }
        }
        catch (FileSourceException ex)
        {
            return ex.Code;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
    }
}
