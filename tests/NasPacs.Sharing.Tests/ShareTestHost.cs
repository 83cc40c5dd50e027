using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NasPacs.Testing;

namespace NasPacs.Sharing.Tests;

/// <summary>A share manager over a real SQLite file in a temp folder, with a fake clock.</summary>
internal sealed class ShareTestHost : IDisposable
{
    private readonly ServiceProvider _services;

    public ShareTestHost(Action<ShareOptions>? configure = null)
    {
        Folder = new TempFolder("naspacs-shares");
        DatabasePath = Path.Combine(Folder.Path, "shares.db");
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddNasSharing(o =>
        {
            o.DatabasePath = DatabasePath;
            o.PasswordIterations = 10_000; // the floor: tests check behaviour, not cost
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Shares = _services.GetRequiredService<IShareManager>();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    public TempFolder Folder { get; }

    public string DatabasePath { get; }

    public IShareManager Shares { get; }

    public static ShareClient Client(string ip = "192.0.2.10") => new(ip, "test-agent/1.0");

    public Task<CreatedShare> CreateAsync(string? password = null, int? maxDownloads = null, TimeSpan? expiresIn = null)
        => Shares.CreateAsync(new ShareRequest { Root = "sample", SeriesKey = "1.2.3.4", Password = password, MaxDownloads = maxDownloads, ExpiresIn = expiresIn });

    public void Dispose()
    {
        _services.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
