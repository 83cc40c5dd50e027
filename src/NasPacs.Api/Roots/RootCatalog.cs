using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Api.Hosting;
using NasPacs.Api.Sample;
using NasPacs.Enumeration;
using NasPacs.Indexing;
using NasPacs.Smb;

namespace NasPacs.Api.Roots;

/// <summary>
/// The configured NAS roots. Each root gets its own small service container with <c>AddNasIndexing</c> pointed at its own
/// index file (<c>{DataPath}/{name}.db</c>), because an index belongs to exactly one root.
/// </summary>
internal sealed class RootCatalog : IAsyncDisposable
{
    /// <summary>The root name used for the generated sample NAS.</summary>
    public const string SampleRootName = "sample";

    private readonly Dictionary<string, NasRoot> _roots = new(StringComparer.OrdinalIgnoreCase);

    public RootCatalog(
        IOptions<NasPacsOptions> options,
        IConfiguration configuration,
        IHostEnvironment environment,
        ILocalFileSourceFactory localSources,
        SmbFileSourceFactory smbSources,
        ICandidateFilter filter,
        TimeProvider time,
        ILoggerFactory loggerFactory)
    {
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger("NasPacs.Api.Roots");
        DataPath = Path.GetFullPath(settings.DataPath, environment.ContentRootPath);
        Directory.CreateDirectory(DataPath);
        var configured = settings.Roots.ToList();
        if (configured.Count == 0 && settings.GenerateSample)
        {
            var folder = Path.Combine(DataPath, "sample-nas");
            if (SampleNas.EnsureCreated(folder))
            {
                logger.SampleWritten(SampleNas.FileCount, folder);
            }

            configured.Add(new(SampleRootName, new NasRootOptions { Path = folder }));
        }

        foreach (var (name, root) in configured)
        {
            var database = Path.Combine(DataPath, name.ToLowerInvariant() + ".db");
            Func<IFileSource> open = root.IsSmb
                ? () => smbSources.Create(root.Path, SmbSettings(configuration, name))
                : () => localSources.Create(root.Path);
            var services = IndexServices(configuration, name, root.IsSmb, database, filter, time, loggerFactory);
            _roots[name] = new NasRoot(name, root.Path, root.IsSmb, database, services, open, Signal, logger);
        }

        Default = _roots.Values.First();
        logger.RootsReady(_roots.Count, string.Join(", ", _roots.Keys), DataPath);
    }

    /// <summary>The absolute data folder.</summary>
    public string DataPath { get; }

    /// <summary>Raised whenever a run on any root starts, changes phase or ends.</summary>
    public StatusSignal Signal { get; } = new();

    /// <summary>The roots in configuration order.</summary>
    public IReadOnlyCollection<NasRoot> All => _roots.Values;

    /// <summary>The root used when a request names none: the first configured.</summary>
    public NasRoot Default { get; }

    /// <summary>Whether any run is active.</summary>
    public bool AnyActive => _roots.Values.Any(r => r.IsActive);

    /// <summary>The root named <paramref name="name"/>, the default root for an empty name, or <see langword="null"/>.</summary>
    public NasRoot? Find(string? name)
        => string.IsNullOrWhiteSpace(name) ? Default : _roots.GetValueOrDefault(name.Trim());

    public async ValueTask DisposeAsync()
    {
        foreach (var root in _roots.Values)
        {
            await root.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The indexing services of one root. Its settings: an <c>smb://</c> root's defaults (the SMB client's recommended
    /// requests in flight, <see cref="SmbFileSourceFactory.RecommendedReaders"/>), then the shared
    /// <c>NasPacs:Indexing</c> section, then the root's own <c>NasPacs:Roots:{name}:Indexing</c> over it.
    /// </summary>
    private static ServiceProvider IndexServices(IConfiguration configuration, string name, bool isSmb, string database, ICandidateFilter filter, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(time);
        services.AddSingleton(filter);
        var indexing = services.AddOptions<IndexingOptions>();
        if (isSmb)
        {
            indexing.Configure(o => (o.MaxWorkers, o.EnumerationParallelism) = (SmbFileSourceFactory.RecommendedReaders, SmbFileSourceFactory.RecommendedFoldersAtOnce));
        }

        var shared = configuration.GetSection($"{NasPacsOptions.Section}:Indexing");
        var own = configuration.GetSection($"{NasPacsOptions.Section}:Roots:{name}:Indexing");
        indexing.Bind(shared).Bind(own);
        services.AddNasIndexing(o =>
        {
            o.DatabasePath = database;
            o.StatusFilePath = Path.ChangeExtension(database, ".status.json");
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        try
        {
            // Validates now, so a wrong setting stops the start with its name (the failure starts with the property's).
            _ = provider.GetRequiredService<IOptions<IndexingOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new OptionsValidationException(
                ex.OptionsName,
                ex.OptionsType,
                ex.Failures.Select(f => $"{(own[f.Split(' ')[0]] is null ? shared.Path : own.Path)}:{f}"));
        }

        return provider;
    }

    /// <summary>
    /// The SMB settings of one root: the shared <c>Smb</c> section, then the root's own section over it (its <c>User</c>,
    /// <c>Password</c>, <c>Domain</c>, or any other <see cref="SmbOptions"/> setting).
    /// </summary>
    private static SmbOptions SmbSettings(IConfiguration configuration, string name)
    {
        var options = new SmbOptions();
        configuration.GetSection("Smb").Bind(options);
        configuration.GetSection($"{NasPacsOptions.Section}:Roots:{name}").Bind(options);
        return options;
    }
}
