using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasPacs.Sharing.Zip;

namespace NasPacs.Sharing;

/// <summary>The DI entry point of share links.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IShareManager"/> over the database named by validated <see cref="ShareOptions"/> and
    /// <see cref="ISeriesZipStreamer"/>. Uses a registered <see cref="TimeProvider"/> or the system clock.
    /// </summary>
    public static OptionsBuilder<ShareOptions> AddNasSharing(this IServiceCollection services, Action<ShareOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ShareOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ShareOptions>, ShareOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton<IShareManager, ShareManager>();
        services.TryAddSingleton<ISeriesZipStreamer, SeriesZipStreamer>();
        return builder;
    }
}
