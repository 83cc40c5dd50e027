using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Testing;

namespace NasPacs.Ui.Tests;

/// <summary>
/// The real server on Kestrel at a free local port, over a temporary data folder, for a real browser. The first admin
/// is created from <see cref="AdminPassword"/> as an operator would (<c>NasPacs:Security:AdminPassword</c>); pages that
/// <see cref="Browser"/> opens afterwards in the same test sign in through the real sign-in page.
/// </summary>
public sealed class UiServer : WebApplicationFactory<Program>
{
    private static readonly AsyncLocal<UiServer?> LastStarted = new();
    private readonly Dictionary<string, string?> _settings;

    public UiServer(Dictionary<string, string?> settings)
    {
        Data = new TempFolder("naspacs-ui");
        AdminPassword = "ui-admin-" + Guid.NewGuid().ToString("N");
        _settings = new(settings) { ["NasPacs:DataPath"] = Data.Path };
        _settings.TryAdd("NasPacs:Security:AdminPassword", AdminPassword);
        UseKestrel();
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        LastStarted.Value = this;
    }

    /// <summary>The server this test started last, whose admin <see cref="Browser"/> signs pages in as.</summary>
    public static UiServer? Current => LastStarted.Value;

    public TempFolder Data { get; }

    public string BaseUrl { get; }

    /// <summary>The password of the user <c>admin</c>.</summary>
    public string AdminPassword { get; }

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
            if (LastStarted.Value == this)
            {
                LastStarted.Value = null;
            }

            Data.Dispose();
        }
    }
}
