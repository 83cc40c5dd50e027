using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Testing;

namespace NasPacs.Ui.Tests;

/// <summary>The real server on Kestrel at a free local port, over a temporary data folder, for a real browser.</summary>
public sealed class UiServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public UiServer(Dictionary<string, string?> settings)
    {
        Data = new TempFolder("naspacs-ui");
        _settings = new(settings) { ["NasPacs:DataPath"] = Data.Path };
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
    }

    public TempFolder Data { get; }

    public string BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Data.Dispose();
        }
    }
}
