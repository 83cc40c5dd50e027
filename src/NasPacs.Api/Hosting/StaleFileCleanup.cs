using Microsoft.Extensions.Options;
using NasPacs.Api.Security;

namespace NasPacs.Api.Hosting;

/// <summary>
/// At start, removes what earlier runs left behind in the data folder: half-written status files
/// (<c>*.status.json.{pid}.{thread}.tmp</c>, from a process that stopped mid-write) older than ten minutes, and status
/// files whose index (<c>{name}.db</c>) is gone. Indexes, the key ring and <c>security.db</c> are never touched.
/// </summary>
internal sealed class StaleFileCleanup(IOptions<NasPacsOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<StaleFileCleanup> logger)
    : IHostedService
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(options.Value.DataPath, environment.ContentRootPath);
        if (!Directory.Exists(folder))
        {
            return Task.CompletedTask;
        }

        var removed = 0;
        var horizon = time.GetUtcNow().UtcDateTime - MinimumAge;
        foreach (var file in Directory.EnumerateFiles(folder, "*.status.json.*.tmp"))
        {
            if (File.GetLastWriteTimeUtc(file) < horizon && TryDelete(file))
            {
                removed++;
            }
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.status.json"))
        {
            var index = file[..^".status.json".Length] + ".db";
            if (!File.Exists(index) && TryDelete(file))
            {
                removed++;
            }
        }

        if (removed > 0)
        {
            logger.StaleFilesRemoved(removed, folder);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
