using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using NasPacs.Indexing.Query;

namespace NasPacs.Indexing;

/// <summary>The DI entry point of indexing.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IIndexer"/> and <see cref="IIndexQuery"/> over the index named by validated
    /// <see cref="IndexingOptions"/>. Needs an <see cref="Abstractions.Files.ICandidateFilter"/> (for example from
    /// <c>AddNasEnumeration</c>); uses a registered <see cref="DicomHeaderReader"/> or the default one.
    /// </summary>
    public static IServiceCollection AddNasIndexing(this IServiceCollection services, Action<IndexingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<IndexingOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IndexingOptions>, IndexingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new DicomHeaderReader());
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton<IIndexer, Indexer>();
        services.TryAddSingleton<IIndexQuery>(sp => new IndexQuery(sp.GetRequiredService<IOptions<IndexingOptions>>().Value.DatabasePath));
        return services;
    }
}
