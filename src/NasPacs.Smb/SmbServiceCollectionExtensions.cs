using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NasPacs.Smb;

/// <summary>The DI entry point of the SMB client.</summary>
public static class SmbServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SmbFileSourceFactory"/> and <see cref="SmbOptions"/> (configured by <paramref name="configure"/>,
    /// validated when first resolved or at start-up with <c>ValidateOnStart</c>).
    /// </summary>
    public static OptionsBuilder<SmbOptions> AddSmbFileSources(this IServiceCollection services, Action<SmbOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new SmbFileSourceFactory(sp.GetService<TimeProvider>()));
        var builder = services.AddOptions<SmbOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.Validate(o => o.Validate().Count == 0, "The SMB settings are not valid; see SmbOptions.Validate() for which.");
        return builder;
    }
}
