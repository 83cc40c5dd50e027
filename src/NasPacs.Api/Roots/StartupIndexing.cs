using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Roots;

/// <summary>At start-up, starts a run on every root whose index is empty, so that the first screen shows something real.</summary>
internal sealed class StartupIndexing(RootCatalog catalog, IOptions<NasPacsOptions> options, ILogger<StartupIndexing> logger) : IHostedService
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

            try
            {
                await root.StartAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FileSourceException or IndexingException or RunConflictException)
            {
                // The dashboard shows the problem with its suggestion; the server still starts.
                logger.StartFailed(root.Name, ex is FileSourceException f ? f.Code : ex is IndexingException i ? i.Code : "conflict");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
