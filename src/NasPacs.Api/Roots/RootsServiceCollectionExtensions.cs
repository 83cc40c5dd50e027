using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;
using NasPacs.Api.Index;
using NasPacs.Api.Nas;
using NasPacs.Enumeration;
using NasPacs.Smb;

namespace NasPacs.Api.Roots;

/// <summary>Composes the libraries for the server: enumeration, SMB, one index per root, the status reporter.</summary>
internal static class RootsServiceCollectionExtensions
{
    public static IServiceCollection AddNasRoots(this IServiceCollection services)
    {
        services.AddOptions<NasPacsOptions>().BindConfiguration(NasPacsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NasPacsOptions>, NasPacsOptionsValidator>();
        services.AddNasEnumeration();
        services.AddOptions<LocalFileSourceOptions>().BindConfiguration($"{NasPacsOptions.Section}:LocalFiles").ValidateOnStart();
        services.AddOptions<CandidateFilterOptions>().BindConfiguration($"{NasPacsOptions.Section}:Candidates").ValidateOnStart();
        services.AddSmbFileSources().BindConfiguration("Smb");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RootCatalog>();
        services.AddSingleton<StatusReporter>();
        services.AddSingleton<ConnectionProbe>();
        services.AddHostedService<StartupIndexing>();
        services.AddHostedService<ScheduledIndexing>();
        return services;
    }
}
