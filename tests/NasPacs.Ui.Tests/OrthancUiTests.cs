using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using NasPacs.Testing.Oracle;
using NasPacs.Testing.Orthanc;

namespace NasPacs.Ui.Tests;

/// <summary>Issue #6 in real Chromium against a real Orthanc: push from the series page and see it complete; the Orthanc page shows the version.</summary>
public sealed class OrthancUiTests
{
    private const float Timeout = 60_000;

    [OrthancChromiumFact]
    public async Task SeriesPage_Push_CompletesAndOrthancPageShowsVersionAndPush()
    {
        await using var orthanc = await OrthancServer.StartAsync();
        string version;
        using (var direct = orthanc.CreateClient())
        {
            version = (await direct.GetFromJsonAsync<JsonElement>("system")).GetProperty("Version").GetString()!;
        }

        using var server = new UiServer(new()
        {
            ["NasPacs:Orthanc:Url"] = orthanc.Url.ToString(),
            ["NasPacs:Orthanc:Username"] = orthanc.Username,
            ["NasPacs:Orthanc:Password"] = orthanc.Password,
        });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

        // Series page: not in Orthanc yet; push; watch it complete; the sync state follows.
        await page.GotoAsync(server.BaseUrl + "/#/search?q=clara&modality=MR");
        await page.GetByRole(AriaRole.Link, new() { Name = "T2 FLAIR AX" }).ClickAsync(new() { Timeout = Timeout });
        var sync = page.GetByTestId("orthanc-sync");
        await Assertions.Expect(sync).ToHaveTextAsync("Orthanc: Not in Orthanc", new() { Timeout = Timeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to Orthanc" }).ClickAsync();
        var progress = page.GetByTestId("orthanc-progress");
        await Assertions.Expect(progress).ToContainTextAsync("completed", new() { Timeout = Timeout });
        await Assertions.Expect(progress).ToContainTextAsync("4 / 4 instances · 4 sent");
        await Assertions.Expect(sync).ToHaveTextAsync("Orthanc: In Orthanc", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "orthanc-1-series-pushed");

        // Orthanc page: connected, the version from /system, and the push with its outcome.
        await page.GetByRole(AriaRole.Link, new() { Name = "Orthanc" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("orthanc-state")).ToHaveTextAsync("connected", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("orthanc-version")).ToHaveTextAsync(version);
        var pushes = page.Locator("table[aria-label='Recent pushes'] tbody tr");
        await Assertions.Expect(pushes).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(pushes.First).ToContainTextAsync("completed");
        await Browser.ScreenshotAsync(page, "orthanc-2-page");
    }

    [OrthancChromiumFact]
    public async Task SearchResults_BulkPush_PushesEveryMatchingSeries()
    {
        await using var orthanc = await OrthancServer.StartAsync();
        using var server = new UiServer(new()
        {
            ["NasPacs:Orthanc:Url"] = orthanc.Url.ToString(),
            ["NasPacs:Orthanc:Username"] = orthanc.Username,
            ["NasPacs:Orthanc:Password"] = orthanc.Password,
        });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        await page.GotoAsync(server.BaseUrl + "/#/search?q=boris");
        var bulk = page.GetByTestId("orthanc-bulk");
        await Assertions.Expect(bulk).ToHaveTextAsync("Send all 4 series to Orthanc", new() { Timeout = Timeout });
        await bulk.ClickAsync();

        await Assertions.Expect(page.Locator(".orthanc-bulk [role=status]")).ToContainTextAsync("completed · 4 / 4 series", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "orthanc-3-bulk");
    }
}

/// <summary>A fact that needs Chromium and Orthanc: skipped with the reason outside CI when one is missing; under CI=true it runs and fails loudly.</summary>
public sealed class OrthancChromiumFactAttribute : FactAttribute
{
    public OrthancChromiumFactAttribute()
    {
        if (ReferenceTools.IsCI)
        {
            return;
        }

        if (!File.Exists(Browser.ExecutablePath))
        {
            Skip = $"{Browser.ExecutablePath} is missing outside CI (apt-get install chromium).";
        }
        else if (OrthancServer.UnavailableReason is { } reason)
        {
            Skip = $"Orthanc missing outside CI: {reason}";
        }
    }
}
