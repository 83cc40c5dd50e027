using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NasPacs.OrthancBridge.Client;
using NasPacs.OrthancBridge.Push;

namespace NasPacs.OrthancBridge;

/// <summary>The DI entry point of the Orthanc bridge.</summary>
public static class OrthancServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IOrthancBridge"/>, bound to the configuration section <c>NasPacs:Orthanc</c> and validated at start,
    /// with a named <see cref="HttpClient"/> (keep-alive pool sized to the concurrency, basic auth, headers redacted
    /// from logs) and the resilience pipeline.
    /// </summary>
    public static IServiceCollection AddOrthancBridge(this IServiceCollection services, Action<OrthancOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<OrthancOptions>().BindConfiguration(OrthancOptions.Section);
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrthancOptions>, OrthancOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.TryAddSingleton<ILoggerFactory, NullLoggerFactory>();
        services.AddHttpClient(OrthancClient.HttpClientName, (sp, client) =>
            {
                var o = sp.GetRequiredService<IOptions<OrthancOptions>>().Value;
                client.Timeout = Timeout.InfiniteTimeSpan;
                if (o.Url is not null)
                {
                    client.BaseAddress = o.Url.AbsoluteUri.EndsWith('/') ? o.Url : new Uri(o.Url.AbsoluteUri + "/");
                }

                if (!string.IsNullOrEmpty(o.Username))
                {
                    var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.Username}:{o.Password}"));
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<OrthancOptions>>().Value;
                return new SocketsHttpHandler
                {
                    // One keep-alive connection per concurrent upload, plus room for plan, count and metadata calls.
                    MaxConnectionsPerServer = o.MaxConcurrency + 2,
                    ConnectTimeout = o.ConnectTimeout,
                    PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
                    AutomaticDecompression = DecompressionMethods.None,
                    UseCookies = false,
                    UseProxy = false,
                };
            })
            // Four log lines per upload (and a stack trace per refused connection) drown the push log; the bridge logs
            // retries, rejected files and outcomes itself. Header values stay redacted should a logger be added back.
            .RemoveAllLoggers()
            .RedactLoggedHeaders(_ => true);
        services.TryAddSingleton<OrthancClient>();
        services.TryAddSingleton<OrthancResilience>();
        services.TryAddSingleton<IPushStrategy, CopyPushStrategy>();
        services.TryAddSingleton<SeriesPusher>();
        services.TryAddSingleton<OrthancBridge>();
        services.TryAddSingleton<IOrthancBridge>(sp => sp.GetRequiredService<OrthancBridge>());
        return services;
    }
}
