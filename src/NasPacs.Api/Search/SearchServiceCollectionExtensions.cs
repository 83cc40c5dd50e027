using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Search;

/// <summary>Composes the search feature: its settings and the gate that bounds how many searches run and wait.</summary>
internal static class SearchServiceCollectionExtensions
{
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SearchGate>();
        return services;
    }
}
