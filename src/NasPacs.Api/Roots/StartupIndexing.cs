using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Roots;

/// <summary>At start-up, starts a run on every root whose index is empty, so that the first screen shows something real.</summary>
internal sealed class StartupIndexing(RootCatalog catalog, IOptions<NasPacsOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IndexEmptyRootsOnStart)
        {
            return;
        }

        foreach (var root in catalog.All)
        {
            var runs = await root.Query.GetRunsAsync(new PageRequest(0, 1), cancellationToken).ConfigureAwait(false);
            if (runs.Total > 0)
            {
                continue;
            }

            // A root that cannot be indexed shows its problem on the dashboard; the server still starts.
            await root.TryStartAsync().ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
