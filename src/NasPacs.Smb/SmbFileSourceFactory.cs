using NasPacs.Abstractions.Files;

namespace NasPacs.Smb;

/// <summary>Creates <see cref="IFileSource"/> instances for SMB roots.</summary>
public sealed class SmbFileSourceFactory
{
    private readonly TimeProvider _time;

    /// <summary>
    /// File reads an indexer should keep going at once over this client: reads wait on round trips, not on the CPU.
    /// Over a 2 ms link a first index of 10,080 files took 7.5 s with 8 readers and 3.0 s with 64, and 64 were not
    /// slower without delay (docs/benchmarks.md, session 8).
    /// </summary>
    public const int RecommendedReaders = 64;

    /// <summary>Folders an indexer should list at once over this client (a moderate load on a NAS).</summary>
    public const int RecommendedFoldersAtOnce = 16;

    /// <summary>Creates the factory; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public SmbFileSourceFactory(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>A file source for the share and root folder in <paramref name="options"/>; it connects on first use.</summary>
    /// <exception cref="FileSourceException">The options are not usable (category Configuration, naming the setting).</exception>
    public IFileSource Create(SmbOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SmbFileSource(options, _time);
    }

    /// <summary>The design's <c>get_connection_metrics</c> for a source this factory created; <see langword="null"/> for any other source.</summary>
    public static SmbConnectionMetrics? MetricsOf(IFileSource source) => (source as SmbFileSource)?.Metrics();

    /// <summary>A file source for <c>smb://host[:port]/share/path</c> with the credentials and tuning of <paramref name="template"/>.</summary>
    public IFileSource Create(string uri, SmbOptions template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var options = template.Clone().WithUri(uri);
        return Create(options);
    }
}
