using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration;

/// <summary>The DI entry point of local, mounted and UNC enumeration.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ILocalFileSourceFactory"/> and the DICOM <see cref="ICandidateFilter"/>, with validated
    /// <see cref="LocalFileSourceOptions"/> and <see cref="CandidateFilterOptions"/>.
    /// </summary>
    public static IServiceCollection AddNasEnumeration(
        this IServiceCollection services,
        Action<LocalFileSourceOptions>? configureSource = null,
        Action<CandidateFilterOptions>? configureFilter = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var source = services.AddOptions<LocalFileSourceOptions>();
        if (configureSource is not null)
        {
            source.Configure(configureSource);
        }

        var filter = services.AddOptions<CandidateFilterOptions>();
        if (configureFilter is not null)
        {
            filter.Configure(configureFilter);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LocalFileSourceOptions>, LocalFileSourceOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CandidateFilterOptions>, CandidateFilterOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICandidateFilter>(sp => new DicomCandidateFilter(sp.GetRequiredService<IOptions<CandidateFilterOptions>>().Value));
        services.TryAddSingleton<ILocalFileSourceFactory, LocalFileSourceFactory>();
        return services;
    }
}
