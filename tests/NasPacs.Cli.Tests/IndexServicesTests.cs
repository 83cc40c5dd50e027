using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;

namespace NasPacs.Cli.Tests;

/// <summary>The CLI builds its services without validation (start-up cost); the composition is validated here instead.</summary>
public class IndexServicesTests
{
    [Fact]
    public void Services_ValidatedOnBuild_ResolveEveryCommandService()
    {
        var database = Path.Combine(Path.GetTempPath(), $"naspacs-services-{Guid.NewGuid():N}.db");
        using var provider = IndexServices.Services(database).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.NotNull(provider.GetRequiredService<IIndexer>());
        Assert.NotNull(provider.GetRequiredService<IIndexQuery>());
        Assert.NotNull(provider.GetRequiredService<ILocalFileSourceFactory>());
    }
}
