using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NasPacs.Smb;

/// <summary>The DI entry point of the SMB client.</summary>
public static class SmbServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SmbFileSourceFactory"/>, <see cref="SmbConnectionTester"/> and the shared <see cref="SmbOptions"/>
    /// (configured by <paramref name="configure"/>; their ranges are checked by <see cref="SmbOptions.ValidateTuning"/>,
    /// with every problem named, when first resolved or at start-up with <c>ValidateOnStart</c>).
    /// </summary>
    public static OptionsBuilder<SmbOptions> AddSmbFileSources(this IServiceCollection services, Action<SmbOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new SmbFileSourceFactory(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new SmbConnectionTester(sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmbOptions>, SmbOptionsValidator>());
        var builder = services.AddOptions<SmbOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return builder;
    }

    private sealed class SmbOptionsValidator : IValidateOptions<SmbOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmbOptions options)
        {
            var problems = options.ValidateTuning();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
