using System.Diagnostics;
using NasPacs.Abstractions.Files;
using NasPacs.Api.Roots;
using NasPacs.Smb;

namespace NasPacs.Api.Nas;

/// <summary>The design's test_connection, get_connection_metrics and suggest_optimization for one root.</summary>
/// <param name="Root">The root's name.</param>
/// <param name="Location">Its path or URI.</param>
/// <param name="Reachable">Whether the root could be opened and listed.</param>
/// <param name="Readable">Whether file headers could be read.</param>
/// <param name="Message">One sentence for a person.</param>
/// <param name="Problem">Why it is not reachable or readable, with a suggestion.</param>
/// <param name="LatencyMs">Median time of a single metadata request (one file's size and time), in milliseconds.</param>
/// <param name="Listing">How fast the root lists.</param>
/// <param name="Reading">How fast headers are read.</param>
/// <param name="Suggestions">Concrete changes worth making.</param>
/// <param name="Smb">For an <c>smb://</c> root, what the connection negotiated and measured; otherwise <see langword="null"/>.</param>
internal sealed record ConnectionReport(
    string Root,
    string Location,
    bool Reachable,
    bool Readable,
    string Message,
    RootProblem? Problem,
    double? LatencyMs,
    RateSample? Listing,
    RateSample? Reading,
    IReadOnlyList<string> Suggestions,
    SmbReport? Smb = null);

/// <summary>The design's get_connection_metrics for an SMB root, as NasPacs.Smb measured the probe's own connection.</summary>
/// <param name="Dialect">The negotiated dialect, for example <c>3.1.1</c>.</param>
/// <param name="Signing">The signing algorithm, or <see langword="null"/> when messages are not signed.</param>
/// <param name="Encryption">The cipher, or <see langword="null"/> when messages are not encrypted.</param>
/// <param name="RoundTripMs">Smoothed request round trip, server time included, in milliseconds.</param>
/// <param name="ConnectionsOpened">Connections the probe opened (replacements after drops included).</param>
/// <param name="FilesListed">Files seen by the probe's listings.</param>
/// <param name="FilesListedPerSecond">Files listed per second of listing.</param>
/// <param name="PrefixReads">Header reads done.</param>
/// <param name="PrefixReadsPerSecond">Header reads per second while reads were running.</param>
/// <param name="MaxRequestsInFlight">The in-flight limit the client adapted to.</param>
internal sealed record SmbReport(
    string Dialect,
    string? Signing,
    string? Encryption,
    double RoundTripMs,
    int ConnectionsOpened,
    long FilesListed,
    double FilesListedPerSecond,
    long PrefixReads,
    double PrefixReadsPerSecond,
    int MaxRequestsInFlight)
{
    public static SmbReport From(SmbConnectionMetrics m) => new(
        m.Dialect, m.Signing, m.Encryption, Math.Round(m.RoundTrip.TotalMilliseconds, 3), m.ConnectionsOpened, m.FilesListed,
        Math.Round(m.FilesListedPerSecond, 1), m.PrefixReads, Math.Round(m.PrefixReadsPerSecond, 1), m.MaxRequestsInFlight);
}

/// <summary>A measured rate.</summary>
/// <param name="Items">Files listed or read.</param>
/// <param name="Bytes">Bytes read (0 for listings).</param>
/// <param name="Seconds">Time taken.</param>
/// <param name="PerSecond">Items per second.</param>
internal sealed record RateSample(long Items, long Bytes, double Seconds, double PerSecond);

/// <summary>Measures a root with a bounded sample: a few seconds of listing, a few dozen header reads.</summary>
internal sealed class ConnectionProbe(ICandidateFilter filter, TimeProvider time)
{
    private const int MaxListed = 5000;
    private const int MaxRead = 50;
    private const int HeaderBytes = 16 * 1024;
    private const string NoChange = "No change needed: the root lists and reads quickly.";
    private static readonly TimeSpan ListFor = TimeSpan.FromSeconds(3);

    public async Task<ConnectionReport> TestAsync(NasRoot root, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        IFileSource source;
        try
        {
            source = root.OpenSource();
        }
        catch (FileSourceException ex)
        {
            return Unreachable(root, RootProblem.From(ex));
        }

        await using (source.ConfigureAwait(false))
        {
            List<FileEntry> candidates;
            RateSample listing;
            var listErrors = new List<Abstractions.Errors.ErrorReport>();
            try
            {
                (candidates, listing) = await ListAsync(source, listErrors, limit.Token).ConfigureAwait(false);
            }
            catch (FileSourceException ex)
            {
                return Unreachable(root, RootProblem.From(ex));
            }

            if (listing.Items == 0 && listErrors.Count > 0)
            {
                var first = listErrors[0];
                return Unreachable(root, new RootProblem(first.Category, first.Code, first.Message, first.Suggestion, first.IsTransient));
            }

            var (reading, latency, readProblem) = await ReadAsync(source, candidates, limit.Token).ConfigureAwait(false);
            var suggestions = Suggest(root, listing, reading, latency, candidates.Count, listErrors.Count);
            var smb = SmbFileSourceFactory.MetricsOf(source);
            if (smb is not null)
            {
                // NasPacs.Smb's own suggestions (dialect, in-flight limit, encryption) come first: they name its settings.
                suggestions.InsertRange(0, smb.Suggestions());
                if (suggestions.Count > 1)
                {
                    suggestions.Remove(NoChange);
                }
            }

            var readable = readProblem is null;
            var message = readable
                ? $"Root '{root.Name}' is reachable: listed {listing.Items:N0} files ({listing.PerSecond:N0}/s), read {reading.Items:N0} headers ({reading.PerSecond:N0}/s)."
                : $"Root '{root.Name}' lists, but file headers cannot be read.";
            return new ConnectionReport(
                root.Name, root.Location, true, readable, message, readProblem, latency, listing, reading, suggestions, smb is null ? null : SmbReport.From(smb));
        }
    }

    private async Task<(List<FileEntry> Candidates, RateSample Listing)> ListAsync(IFileSource source, List<Abstractions.Errors.ErrorReport> errors, CancellationToken cancellationToken)
    {
        var candidates = new List<FileEntry>();
        var started = time.GetTimestamp();
        long listed = 0;
        var options = new FileEnumerationOptions
        {
            ShouldEnterDirectory = filter.ShouldEnterDirectory,
            OnError = e =>
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            },
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(ListFor);
        try
        {
            await foreach (var entry in source.EnumerateAsync(options, stop.Token).ConfigureAwait(false))
            {
                listed++;
                if (candidates.Count < MaxRead && filter.Classify(entry.RelativePath) == CandidateKind.Candidate)
                {
                    candidates.Add(entry);
                }

                if (listed >= MaxListed)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The listing budget ran out; the rate so far is the measurement.
        }

        var seconds = time.GetElapsedTime(started).TotalSeconds;
        return (candidates, new RateSample(listed, 0, Math.Round(seconds, 3), Rate(listed, seconds)));
    }

    private async Task<(RateSample Reading, double? LatencyMs, RootProblem? Problem)> ReadAsync(IFileSource source, List<FileEntry> candidates, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        foreach (var entry in candidates.Take(5))
        {
            var t = time.GetTimestamp();
            try
            {
                _ = await source.GetEntryAsync(entry.RelativePath, cancellationToken).ConfigureAwait(false);
                latencies.Add(time.GetElapsedTime(t).TotalMilliseconds);
            }
            catch (FileSourceException)
            {
                // Counted by the reads below.
            }
        }

        var buffer = new byte[HeaderBytes];
        long read = 0;
        long bytes = 0;
        RootProblem? problem = null;
        var started = time.GetTimestamp();
        foreach (var entry in candidates)
        {
            try
            {
                bytes += await source.ReadPrefixAsync(entry.RelativePath, buffer, cancellationToken).ConfigureAwait(false);
                read++;
            }
            catch (FileSourceException ex)
            {
                problem ??= RootProblem.From(ex);
            }
        }

        var seconds = time.GetElapsedTime(started).TotalSeconds;
        if (read > 0)
        {
            problem = null;
        }

        latencies.Sort();
        double? latency = latencies.Count == 0 ? null : Math.Round(latencies[latencies.Count / 2], 3);
        return (new RateSample(read, bytes, Math.Round(seconds, 3), Rate(read, seconds)), latency, problem);
    }

    private static List<string> Suggest(NasRoot root, RateSample listing, RateSample reading, double? latencyMs, int candidates, int listErrors)
    {
        var suggestions = new List<string>();
        if (listing.Items == 0)
        {
            suggestions.Add($"The root '{root.Location}' holds no files: check that NasPacs:Roots:{root.Name}:Path points at the DICOM folder and that the share is mounted.");
        }
        else if (candidates == 0)
        {
            suggestions.Add("No file looked like DICOM (.dcm, .dicom, .ima or no extension) in the sample listed: check the folder or the candidate filter's extensions.");
        }

        if (listErrors > 0)
        {
            suggestions.Add($"{listErrors} folder(s) could not be listed: give the server's account read access to the whole tree.");
        }

        var settings = root.IndexingSettings;
        if (latencyMs > 2 && settings.MaxWorkers < SmbFileSourceFactory.RecommendedReaders)
        {
            suggestions.Add($"A metadata request takes {latencyMs:0.0} ms and this root reads {settings.MaxWorkers} files and lists {settings.EnumerationParallelism} folders at once: on a share, indexing time is round trips divided by requests in flight. Raise NasPacs:Roots:{root.Name}:Indexing:MaxWorkers (for example to 64; smb:// roots default to {SmbFileSourceFactory.RecommendedReaders}) and :EnumerationParallelism (8-16).");
        }

        if (!root.IsSmb && (root.Location.StartsWith(@"\\", StringComparison.Ordinal) || root.Location.StartsWith("//", StringComparison.Ordinal)) && latencyMs > 1)
        {
            suggestions.Add("This UNC path goes through the operating system's SMB client; mounting the share locally or using an smb:// root lets NasPacs pipeline requests.");
        }

        if (reading.Items > 0 && reading.PerSecond < 200)
        {
            suggestions.Add($"Header reads run at {reading.PerSecond:N0} files/s on one thread: expect roughly NasPacs:Indexing:MaxWorkers times that during indexing; raise it if the NAS has headroom.");
        }

        if (suggestions.Count == 0)
        {
            suggestions.Add(NoChange);
        }

        return suggestions;
    }

    private static ConnectionReport Unreachable(NasRoot root, RootProblem problem)
        => new(root.Name, root.Location, false, false, problem.Message, problem, null, null, null, [problem.Suggestion]);

    private static double Rate(long items, double seconds) => seconds <= 0 ? 0 : Math.Round(items / seconds, 1);
}
