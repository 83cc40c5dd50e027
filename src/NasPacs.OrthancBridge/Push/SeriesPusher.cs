using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Jobs;
using NasPacs.OrthancBridge.Client;

namespace NasPacs.OrthancBridge.Push;

/// <summary>
/// Pushes one series: plans from predicted IDs (asks Orthanc what it has, sends only what is missing), sends with
/// bounded concurrency through the strategy and the resilience pipeline, records rejected files and goes on, then
/// counts what Orthanc holds and writes the provenance metadata (and a label on Orthanc ≥ 1.12).
/// </summary>
internal sealed class SeriesPusher(
    OrthancClient client,
    OrthancResilience resilience,
    IPushStrategy strategy,
    IOptions<OrthancOptions> options,
    TimeProvider time,
    ILogger<SeriesPusher> logger)
{
    /// <summary>Pushes; never throws for Orthanc failures or cancellation but returns them beside the result.</summary>
    public async Task<(SeriesPushResult Result, Exception? Failure)> PushAsync(
        SeriesOrigin origin, string seriesKey, IProgress<PushProgress>? progress, PauseGate? gate, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var started = time.GetUtcNow();
        var errors = new ConcurrentQueue<ErrorReport>();
        int uploaded = 0, failed = 0, present = 0, total = 0;
        long bytes = 0;
        string? seriesId = null;
        SeriesManifest? manifest = null;
        void Report() => progress?.Report(new PushProgress(total, present, Volatile.Read(ref uploaded), Volatile.Read(ref failed), Interlocked.Read(ref bytes)));
        SeriesPushResult Result(PushOutcome outcome, int? orthancCount = null, bool metadata = false, bool labelled = false) => new()
        {
            SourceName = origin.SourceName,
            SeriesKey = seriesKey,
            OrthancSeriesId = seriesId,
            Outcome = outcome,
            Strategy = strategy.Name,
            NasFiles = manifest?.Files.Count ?? 0,
            NasInstances = total,
            AlreadyPresent = present,
            Uploaded = uploaded,
            Failed = failed,
            BytesSent = bytes,
            OrthancInstances = orthancCount,
            MetadataWritten = metadata,
            Labelled = labelled,
            ManifestHash = manifest?.Hash,
            StartedAt = started,
            EndedAt = time.GetUtcNow(),
            Errors = errors.ToList(),
        };

        try
        {
            manifest = await SeriesManifest.LoadAsync(origin.Index, seriesKey, cancellationToken).ConfigureAwait(false)
                ?? throw OrthancErrors.SeriesNotIndexed(seriesKey);
            var server = await resilience.ExecuteAsync(client.GetSystemAsync, cancellationToken).ConfigureAwait(false);
            if (strategy.Unsupported(server) is { } why)
            {
                throw new OrthancException(ErrorCategory.Configuration, OrthancErrorCodes.StrategyUnsupported, why, "Set NasPacs:Orthanc:Strategy to copy.", isTransient: false);
            }

            seriesId = manifest.SeriesId;
            var existing = seriesId is null
                ? null
                : await resilience.ExecuteAsync(ct => client.GetSeriesInstancesAsync(seriesId, ct), cancellationToken).ConfigureAwait(false);
            var have = existing is null ? [] : new HashSet<string>(existing, StringComparer.Ordinal);
            var missing = manifest.Instances.Where(i => i.PredictedId is null || !have.Contains(i.PredictedId)).ToList();
            total = manifest.Instances.Count;
            present = total - missing.Count;
            Report();
            logger.PushStarting(seriesKey, origin.SourceName, missing.Count, total);

            string? observedSeries = null;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = o.MaxConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(missing, parallel, async (instance, token) =>
            {
                if (gate is not null)
                {
                    await gate.WaitAsync(token).ConfigureAwait(false);
                }

                try
                {
                    var sent = await resilience.ExecuteAsync(ct => strategy.PushAsync(origin, instance, ct), token).ConfigureAwait(false);
                    Interlocked.Add(ref bytes, sent.BytesSent);
                    Interlocked.Increment(ref uploaded);
                    Interlocked.CompareExchange(ref observedSeries, sent.OrthancSeriesId, null);
                }
                catch (OrthancException ex) when (ex.Code is OrthancErrorCodes.InstanceRejected or OrthancErrorCodes.FileUnreadable)
                {
                    // One bad file must not stop the series: record it with its path and go on.
                    Interlocked.Increment(ref failed);
                    errors.Enqueue(ex.ToReport(time.GetUtcNow()));
                    logger.InstanceFailed(instance.RelativePath, ex.Code);
                }

                Report();
            }).ConfigureAwait(false);

            // Orthanc does not trim values encoded as UN, so a prediction can miss: trust the ID Orthanc returned.
            if (observedSeries is not null && observedSeries != seriesId)
            {
                seriesId = observedSeries;
            }

            int? count = null;
            if (seriesId is not null)
            {
                var held = await resilience.ExecuteAsync(ct => client.GetSeriesInstancesAsync(seriesId, ct), cancellationToken).ConfigureAwait(false);
                count = held?.Count ?? 0;
            }

            var metadata = false;
            var labelled = false;
            if (count > 0)
            {
                metadata = await WriteProvenanceAsync(origin, manifest, seriesId!, errors, cancellationToken).ConfigureAwait(false);
                if (server.SupportsLabels && !string.IsNullOrEmpty(o.Label))
                {
                    labelled = await AddLabelAsync(seriesId!, o.Label, errors, cancellationToken).ConfigureAwait(false);
                }
            }

            PushOutcome outcome;
            if (count == total)
            {
                outcome = PushOutcome.Completed;
            }
            else if (failed > 0 && (count ?? 0) == total - failed)
            {
                outcome = total == failed ? PushOutcome.Failed : PushOutcome.CompletedWithErrors;
            }
            else
            {
                outcome = PushOutcome.Mismatch;
                errors.Enqueue(new ErrorReport(
                    ErrorCategory.System, OrthancErrorCodes.CountMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"Orthanc holds {count ?? 0} instances of the series, the NAS {total} ({failed} not accepted)."),
                    "Push again; if the numbers still differ, the series in Orthanc also holds instances from elsewhere, or files share a SOP Instance UID with different patient or study UIDs.",
                    manifest.Folder, time.GetUtcNow()));
            }

            var result = Result(outcome, count, metadata, labelled);
            logger.PushEnded(seriesKey, outcome, result.Uploaded, result.AlreadyPresent, result.Failed, count);
            return (result, null);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            return (Result(PushOutcome.Cancelled), ex);
        }
        catch (OrthancException ex)
        {
            errors.Enqueue(ex.ToReport(time.GetUtcNow()));
            logger.PushFailed(seriesKey, ex.Code);
            return (Result(PushOutcome.Failed), ex);
        }
    }

    private async Task<bool> WriteProvenanceAsync(SeriesOrigin origin, SeriesManifest manifest, string seriesId, ConcurrentQueue<ErrorReport> errors, CancellationToken cancellationToken)
    {
        var names = options.Value.Metadata;
        var values = new (string Name, string Value)[]
        {
            (names.Source, $"{origin.SourceName} ({origin.Files.DisplayName})"),
            (names.Path, manifest.Folder),
            (names.SeriesKey, manifest.Summary.SeriesKey),
            (names.PushTime, time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
            (names.FileCount, manifest.Files.Count.ToString(CultureInfo.InvariantCulture)),
            (names.ManifestHash, manifest.Hash),
        };
        var refused = new List<string>();
        OrthancException? first = null;
        foreach (var (name, value) in values)
        {
            try
            {
                await resilience.ExecuteAsync(async ct =>
                {
                    await client.SetSeriesMetadataAsync(seriesId, name, value, ct).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (OrthancException ex) when (ex.Code == OrthancErrorCodes.MetadataNotDeclared)
            {
                refused.Add(name);
                first ??= ex;
            }
        }

        if (first is null)
        {
            return true;
        }

        logger.MetadataFailed(seriesId, first.Code);
        errors.Enqueue(new ErrorReport(
            first.Category, first.Code,
            $"The instances were pushed, but Orthanc refused the provenance metadata {string.Join(", ", refused)}: {first.Message}",
            first.Suggestion, null, time.GetUtcNow()));
        return false;
    }

    private async Task<bool> AddLabelAsync(string seriesId, string label, ConcurrentQueue<ErrorReport> errors, CancellationToken cancellationToken)
    {
        try
        {
            await resilience.ExecuteAsync(async ct =>
            {
                await client.AddLabelAsync(seriesId, label, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OrthancException ex) when (!ex.IsTransient && ex.Code != OrthancErrorCodes.AuthenticationFailed)
        {
            errors.Enqueue(ex.ToReport(time.GetUtcNow()));
            return false;
        }
    }
}
