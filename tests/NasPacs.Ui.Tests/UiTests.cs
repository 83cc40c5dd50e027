using NasPacs.Testing;
using Microsoft.Playwright;

namespace NasPacs.Ui.Tests;

/// <summary>
/// The issue's browser walk in real Chromium: start indexing, watch progress reach completion, search, open a series,
/// open the errors page; and an unreachable root explained on the dashboard.
/// </summary>
public sealed class UiTests
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task Walkthrough_StartSearchSeriesErrors_Works()
    {
        // Throttled so the progress is visible for a couple of seconds (the sample has 49 files).
        using var server = new UiServer(new()
        {
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:Indexing:MaxFilesPerSecond"] = "15",
        });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

        // Dashboard: start, see the run progress, then completion.
        await page.GotoAsync(server.BaseUrl + "/");
        var card = page.Locator("[data-root=sample]");
        await Assertions.Expect(page.GetByTestId("live")).ToContainTextAsync("Live", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("schedule")).ToBeHiddenAsync(); // no NasPacs:ReindexAt
        await card.GetByRole(AriaRole.Button, new() { Name = "Start indexing" }).ClickAsync();
        await Assertions.Expect(card.GetByTestId("phase")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("enumerating|indexing"), new() { Timeout = Timeout });
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Start indexing" })).ToBeDisabledAsync();
        await page.WaitForFunctionAsync(
            "() => { const p = document.querySelector('[data-root=sample] progress'); return p && p.value > 0 && p.value < 49; }",
            null,
            new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "1-dashboard-running");
        await Assertions.Expect(card.GetByTestId("phase")).ToHaveTextAsync("completed", new() { Timeout = Timeout });
        await Assertions.Expect(card.GetByTestId("processed")).ToHaveTextAsync("49 / 49");
        await Assertions.Expect(card.GetByTestId("series")).ToHaveTextAsync("12");
        await Assertions.Expect(card.Locator(".errors-by-class")).ToContainTextAsync("dicom: 1");
        await Browser.ScreenshotAsync(page, "2-dashboard-completed");

        // Search: instant search, modality filter, sorting.
        await page.GetByRole(AriaRole.Link, new() { Name = "Search" }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("clara");
        var rows = page.Locator("table[aria-label=Series] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(4, new() { Timeout = Timeout });
        await page.GetByLabel("Modality").SelectOptionAsync("MR");
        await Assertions.Expect(rows).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await page.GetByRole(AriaRole.Button, new() { Name = "Files" }).ClickAsync();
        await Assertions.Expect(page.Locator("th[aria-sort=descending]")).ToContainTextAsync("Files");
        await Browser.ScreenshotAsync(page, "3-search");

        // Series page.
        await page.GetByRole(AriaRole.Link, new() { Name = "T2 FLAIR AX" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SAMPLE, CLARA", new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("table[aria-label=Files] tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create share link" })).ToBeEnabledAsync();
        await Browser.ScreenshotAsync(page, "4-series");

        // Errors page.
        await page.GetByRole(AriaRole.Link, new() { Name = "Errors" }).ClickAsync();
        var errorRows = page.Locator("table[aria-label=Errors] tbody tr");
        await Assertions.Expect(errorRows).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(errorRows.First).ToContainTextAsync("UNSORTED/broken.dcm");
        await Assertions.Expect(errorRows.First).ToContainTextAsync("dicom");
        await page.GetByLabel("Class").SelectOptionAsync("network");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("No errors recorded.", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "5-errors");
    }

    [ChromiumFact]
    public async Task Search_KeyboardOnly_FindsAndOpensSeries()
    {
        using var server = new UiServer(new());
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/#/search");
        await Assertions.Expect(page.Locator("table[aria-label=Series] tbody tr")).ToHaveCountAsync(12, new() { Timeout = Timeout });

        await page.Locator("#q").FocusAsync();
        await page.Keyboard.TypeAsync("boris axial");
        await Assertions.Expect(page.Locator("table[aria-label=Series] tbody tr")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await page.Locator("table[aria-label=Series] tbody a").FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SAMPLE, BORIS", new() { Timeout = Timeout });
    }

    [ChromiumFact]
    public async Task Dashboard_ReindexAtConfigured_ShowsTheNextScheduledRun()
    {
        using var server = new UiServer(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false", ["NasPacs:ReindexAt:0"] = "02:00" });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/");

        var schedule = page.GetByTestId("schedule");

        await Assertions.Expect(schedule).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(schedule).ToContainTextAsync("Next scheduled re-index of every root:");
        await Assertions.Expect(schedule).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\b0?2:00"));
    }

    [ChromiumFact]
    public async Task Dashboard_UnreachableRoot_ShowsErrorWithSuggestion()
    {
        using var server = new UiServer(new() { ["NasPacs:Roots:archive:Path"] = "/nonexistent/naspacs/archive" });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });
        await page.GotoAsync(server.BaseUrl + "/");
        var card = page.Locator("[data-root=archive]");

        await card.GetByRole(AriaRole.Button, new() { Name = "Start indexing" }).ClickAsync();

        var alert = card.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("does not exist or cannot be reached", new() { Timeout = Timeout });
        await Assertions.Expect(alert).ToContainTextAsync("Suggestion:");
        await Assertions.Expect(card.GetByTestId("phase")).ToHaveTextAsync("failed");
        await card.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
        await Assertions.Expect(card.Locator(".test")).ToContainTextAsync("Not reachable", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "6-dashboard-unreachable-root");
    }

    [ChromiumFact]
    public async Task SeriesInTwoRoots_OpenedFromSecondRoot_ActsOnThatRoot()
    {
        // The same files in two roots: the same series key in both indexes.
        using var nas = new TempFolder("naspacs-ui-roots");
        foreach (var root in new[] { "north", "south" })
        {
            Directory.CreateDirectory(Path.Combine(nas.Path, root));
            File.Copy(Path.Combine(NasPacs.Testing.Oracle.PydicomOracle.CorpusRoot, "test_files", "CT_small.dcm"), Path.Combine(nas.Path, root, "CT_small.dcm"));
        }

        using var server = new UiServer(new()
        {
            ["NasPacs:Roots:north:Path"] = Path.Combine(nas.Path, "north"),
            ["NasPacs:Roots:south:Path"] = Path.Combine(nas.Path, "south"),
        });
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.GotoAsync(server.BaseUrl + "/#/search?q=compressedsamples");
        await Assertions.Expect(page.Locator("table[aria-label=Series] tbody tr")).ToHaveCountAsync(2, new() { Timeout = Timeout });

        await page.Locator("table[aria-label=Series] tbody a[href*='root=south']").ClickAsync();

        var details = page.GetByRole(AriaRole.Region, new() { Name = "Series details" });
        await Assertions.Expect(details).ToContainTextAsync("NAS root", new() { Timeout = Timeout });
        await Assertions.Expect(details.Locator("dd", new() { HasTextString = "south" })).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create share link" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Share this series" });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        await Assertions.Expect(dialog.GetByLabel("Share link")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[A-Za-z0-9_-]{43}$"), new() { Timeout = Timeout });

        // The share was made on the root the page was opened from, not on the first root holding the key.
        var shares = await page.APIRequest.GetAsync(server.BaseUrl + "/api/shares");
        Assert.True(shares.Ok, $"GET /api/shares: {shares.Status}");
        using var json = System.Text.Json.JsonDocument.Parse(await shares.TextAsync());
        var share = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("south", share.GetProperty("root").GetString());
    }
}
