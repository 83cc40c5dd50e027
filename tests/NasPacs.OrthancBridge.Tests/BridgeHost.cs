using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>The bridge as the server composes it, pointed at a test Orthanc.</summary>
internal sealed class BridgeHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public BridgeHost(OrthancServer orthanc, Action<OrthancOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddOrthancBridge(o =>
            {
                o.Url = orthanc.Url;
                o.Username = orthanc.Username;
                o.Password = orthanc.Password;
                o.RetryDelay = TimeSpan.FromMilliseconds(200);
                o.MaxRetryDelay = TimeSpan.FromSeconds(2);
                o.MaxRetries = 15;
                o.BreakDuration = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Bridge = _services.GetRequiredService<IOrthancBridge>();
    }

    public IOrthancBridge Bridge { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
