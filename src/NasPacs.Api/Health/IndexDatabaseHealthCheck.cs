using Microsoft.Extensions.Diagnostics.HealthChecks;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Health;

/// <summary>Ready only when every root's index database opens and answers.</summary>
internal sealed class IndexDatabaseHealthCheck(RootCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        foreach (var root in catalog.All)
        {
            try
            {
                var totals = await root.Query.GetTotalsAsync(cancellationToken).ConfigureAwait(false);
                data[root.Name] = $"{totals.Series} series, {totals.Files} files";
            }
            catch (NasPacs.Abstractions.Indexing.IndexingException ex)
            {
                return HealthCheckResult.Unhealthy($"The index of root '{root.Name}' cannot be opened: {ex.Message}", data: data);
            }
        }

        return HealthCheckResult.Healthy("Every index database answers.", data);
    }
}
