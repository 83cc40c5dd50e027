using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>
/// A reverse proxy in front of the server, section <c>NasPacs:Proxy</c>. <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> are honoured only from the listed proxies, so rate limits and the audit log see the real
/// client and the HTTPS redirect knows the client used HTTPS. Default none: the headers are ignored (anyone could send them).
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NasPacs:Proxy";

    /// <summary>Addresses of trusted proxies (<c>10.0.0.5</c>, <c>::1</c>). Default none.</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Networks of trusted proxies in CIDR form (<c>10.0.0.0/24</c>). Default none.</summary>
    public List<string> KnownNetworks { get; } = [];

    /// <summary>How many proxies in a row to unwrap. Default 1; 1 to 10.</summary>
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted.</summary>
    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal static class ReverseProxy
{
    public static IServiceCollection AddReverseProxy(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxy.Value.ForwardLimit;

            // ASP.NET Core trusts loopback by default; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(address));
            }

            foreach (var network in proxy.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>Applies the forwarded headers of trusted proxies; first in the pipeline, so everything after sees the client.</summary>
    public static IApplicationBuilder UseReverseProxy(this IApplicationBuilder app)
        => app.ApplicationServices.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled ? app.UseForwardedHeaders() : app;

    private sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var s = ProxyOptions.Section;
            var failures = new List<string>();
            failures.AddRange(options.KnownProxies.Where(a => !IPAddress.TryParse(a, out _)).Select(a => $"{s}:KnownProxies: '{a}' is not an IP address."));
            failures.AddRange(options.KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)).Select(n => $"{s}:KnownNetworks: '{n}' is not a network in CIDR form (10.0.0.0/24)."));
            if (options.ForwardLimit is < 1 or > 10)
            {
                failures.Add($"{s}:ForwardLimit must be 1 to 10 (was {options.ForwardLimit}).");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
