using System.Globalization;
using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Roots;

/// <summary>
/// Re-indexes every root at the times of day in <see cref="NasPacsOptions.ReindexAt"/>, in the server's local time: new
/// studies on the NAS reach the index without anyone pressing "Index now". A root whose run is still active is left to
/// finish; a root that cannot be reached shows its problem on the dashboard, as a run started by hand does. A share that
/// did not mount fails its run and removes nothing (<see cref="Indexing.IndexingOptions.AllowEmptyRoot"/>).
/// </summary>
internal sealed class ScheduledIndexing(RootCatalog catalog, IOptions<NasPacsOptions> options, TimeProvider time, ILogger<ScheduledIndexing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var times = options.Value.ReindexAt;
        if (times.Count == 0)
        {
            return;
        }

        var next = NextRun(time.GetUtcNow(), times, time.LocalTimeZone);
        logger.ScheduleReady(string.Join(", ", times.Order().Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture))), next);
        while (true)
        {
            try
            {
                var wait = next - time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // The next time after this one, not after the clock: a clock a little behind the timer would give this one again.
            var fired = next;
            next = NextRun(Later(fired, time.GetUtcNow()), times, time.LocalTimeZone);

            foreach (var root in catalog.All)
            {
                await StartAsync(root).ConfigureAwait(false);
            }
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private async Task StartAsync(NasRoot root)
    {
        if (root.Snapshot().Active)
        {
            logger.ScheduledRunSkipped(root.Name);
            return;
        }

        // A root that cannot be indexed shows its problem on the dashboard; the next time of day tries again.
        await root.TryStartAsync().ConfigureAwait(false);
    }

    /// <summary>The first of <paramref name="times"/> (wall-clock times in <paramref name="zone"/>) after <paramref name="now"/>.</summary>
    internal static DateTimeOffset NextRun(DateTimeOffset now, IReadOnlyCollection<TimeOnly> times, TimeZoneInfo zone)
    {
        ArgumentOutOfRangeException.ThrowIfZero(times.Count);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = 0; ; day++)
        {
            var date = today.AddDays(day);
            DateTimeOffset? first = null;
            foreach (var time in times)
            {
                // A time that a change to summer time skips takes the day's standard offset: an hour late, never lost.
                var wall = date.ToDateTime(time);
                var at = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
                if (at > now && (first is null || at < first))
                {
                    first = at;
                }
            }

            if (first is { } found)
            {
                return found;
            }
        }
    }
}
