using System.IO.Compression;
using Microsoft.Playwright;
using NasPacs.Testing;

namespace NasPacs.Ui.Tests;

/// <summary>
/// Share links in real Chromium: create one from the series page, open it as a recipient (a browser context that is not
/// signed in), download the zip, see the download and the access log on the shares page, revoke it there.
/// </summary>
public sealed class ShareUiTests
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task ShareLink_CreateOpenDownloadRevoke_Works()
    {
        using var server = new UiServer(new());
        var (playwright, browser) = await Browser.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();

        // The series page of CLARA's T2 FLAIR (the server indexes the sample on start).
        await page.GotoAsync(server.BaseUrl + "/#/search");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("clara flair");
        await Assertions.Expect(page.Locator("table[aria-label=Series] tbody tr")).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await page.GetByRole(AriaRole.Link, new() { Name = "T2 FLAIR AX" }).ClickAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("SAMPLE, CLARA", new() { Timeout = Timeout });

        // The share dialog.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create share link" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Share this series" });
        await dialog.GetByLabel("Expires after").SelectOptionAsync("72");
        await dialog.GetByLabel("Maximum downloads").FillAsync("2");
        await dialog.GetByLabel("Series details").CheckAsync();
        await dialog.GetByLabel("Message").FillAsync("FLAIR for the second opinion");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        var linkBox = dialog.GetByLabel("Share link");
        await Assertions.Expect(linkBox).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/s/[A-Za-z0-9_-]{43}$"), new() { Timeout = Timeout });
        var link = await linkBox.InputValueAsync();
        await Browser.ScreenshotAsync(page, "share-1-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // The recipient: no session, only the link.
        await using var recipientContext = await browser.NewContextAsync(new() { AcceptDownloads = true });
        var recipient = await recipientContext.NewPageAsync();
        var violations = new List<string>();
        recipient.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        await recipient.GotoAsync(link);
        await Assertions.Expect(recipient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Shared imaging series");
        // The page's style sheet loads under its CSP (36rem wide main column), and nothing was refused.
        await Assertions.Expect(recipient.Locator("main")).ToHaveCSSAsync("max-width", "576px");
        Assert.Empty(violations);
        await Assertions.Expect(recipient.Locator("main")).ToContainTextAsync("FLAIR for the second opinion");
        await Assertions.Expect(recipient.Locator("main")).ToContainTextAsync("T2 FLAIR AX");
        await Assertions.Expect(recipient.Locator("main")).Not.ToContainTextAsync("CLARA");
        await Browser.ScreenshotAsync(recipient, "share-2-landing");
        var download = await recipient.RunAndWaitForDownloadAsync(() => recipient.GetByRole(AriaRole.Link, new() { Name = "Download (zip)" }).ClickAsync());
        using var folder = new TempFolder("naspacs-ui-share");
        var zipPath = Path.Combine(folder.Path, download.SuggestedFilename);
        await download.SaveAsAsync(zipPath);
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            Assert.Equal(4, zip.Entries.Count);
            Assert.All(zip.Entries, e => Assert.Matches(@"^NP-SAMPLE-003_\d{8}/\d+_T2_FLAIR_AX/IM_0000[1-4]\.dcm$", e.FullName));
        }

        // The shares page: the download is counted, the access log shows it; revoke.
        await page.GotoAsync(server.BaseUrl + "/#/shares");
        var row = page.Locator("table[aria-label='Share links'] tbody tr").First;
        await Assertions.Expect(row).ToContainTextAsync("1 / 2", new() { Timeout = Timeout });
        await Assertions.Expect(row.GetByTestId("state")).ToHaveTextAsync("active");
        await row.GetByRole(AriaRole.Button, new() { Name = "Access log" }).ClickAsync();
        var logRows = page.Locator("table[aria-label='Access log'] tbody tr");
        await Assertions.Expect(logRows).ToHaveCountAsync(2, new() { Timeout = Timeout });
        await Assertions.Expect(logRows.First).ToContainTextAsync("download");
        await Browser.ScreenshotAsync(page, "share-3-shares-page");
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(row.GetByTestId("state")).ToHaveTextAsync("revoked", new() { Timeout = Timeout });

        // The recipient's link is dead now, with the neutral page.
        var response = await recipient.GotoAsync(link);
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(recipient.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link is not available");
    }
}
