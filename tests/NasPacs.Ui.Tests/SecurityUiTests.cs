using Microsoft.Playwright;

namespace NasPacs.Ui.Tests;

/// <summary>Issue #8 in real Chromium: the sign-in page, roles in the navigation, and a CSP the UI keeps.</summary>
public sealed class SecurityUiTests
{
    private const float Timeout = 60_000;

    [ChromiumFact]
    public async Task SignIn_WrongThenRight_ReachesDashboardWithoutCspViolations()
    {
        using var server = new UiServer(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        var (playwright, browser) = await Browser.LaunchPlainAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        // Without a session the app page sends the browser to the sign-in page.
        await page.GotoAsync(server.BaseUrl + "/#/search");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\.html"), new() { Timeout = Timeout });

        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "security-1-sign-in-failed");

        await Browser.SignInAsync(page, server.BaseUrl, "admin", server.AdminPassword);
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync("admin (admin)", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByTestId("live")).ToContainTextAsync("Live", new() { Timeout = Timeout });
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();

        // Every page of the app under the CSP.
        foreach (var name in new[] { "Search", "Errors", "Shares", "Orthanc", "Users", "Audit", "Dashboard" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync(new() { Timeout = Timeout });
        }

        Assert.Empty(violations);
    }

    /// <summary>
    /// Sign-in through a real OpenID provider process (<see cref="NasPacs.Testing.Oidc.TestOidcProvider"/>): the page offers
    /// "Sign in with …", the browser goes to the provider and back, and lands on the dashboard with the mapped role; a
    /// user without a mapped role comes back to a page that says why.
    /// </summary>
    [ChromiumFact]
    public async Task SignInWithProvider_MappedAndUnmappedUsers_DashboardOrClearRefusal()
    {
        await using var idp = await NasPacs.Testing.Oidc.TestOidcProvider.StartAsync();
        idp.User["roles"] = new[] { "radiology" };
        using var server = new UiServer(idp.ServerSettings("Hospital IdP", ("radiology", "viewer")));
        var (playwright, browser) = await Browser.LaunchPlainAsync();
        using var _ = playwright;
        await using var __ = browser;

        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.BaseUrl + "/login.html");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Hospital IdP" }).ClickAsync();
        await Assertions.Expect(page.Locator("#who-name")).ToHaveTextAsync("dr.test (viewer)", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(page, "security-3-signed-in-with-provider");

        idp.User["roles"] = new[] { "cleaning" };
        var refused = await (await browser.NewContextAsync()).NewPageAsync();
        await refused.GotoAsync(server.BaseUrl + "/login.html");
        await refused.GetByRole(AriaRole.Link, new() { Name = "Sign in with Hospital IdP" }).ClickAsync();
        await Assertions.Expect(refused.GetByRole(AriaRole.Alert)).ToContainTextAsync("has no NasPacs role", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(refused, "security-4-provider-user-without-role");
    }

    [ChromiumFact]
    public async Task Admin_CreatesViewer_ViewerSeesNoAdminPagesAndCannotStartIndexing()
    {
        using var server = new UiServer(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        var (playwright, browser) = await Browser.LaunchPlainAsync();
        using var _ = playwright;
        await using var __ = browser;

        var admin = await browser.NewPageAsync();
        await Browser.SignInAsync(admin, server.BaseUrl, "admin", server.AdminPassword);
        await admin.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await admin.GetByLabel("User name", new() { Exact = true }).FillAsync("vera");
        await admin.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("viewer");
        await admin.GetByLabel("Password", new() { Exact = true }).FillAsync("vera-password-1234");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(admin.Locator("table[aria-label=Users] tr[data-user=vera]")).ToContainTextAsync("enabled", new() { Timeout = Timeout });
        await Browser.ScreenshotAsync(admin, "security-2-users");

        var viewer = await (await browser.NewContextAsync()).NewPageAsync();
        await Browser.SignInAsync(viewer, server.BaseUrl, "vera", "vera-password-1234");
        await Assertions.Expect(viewer.Locator("#who-name")).ToHaveTextAsync("vera (viewer)", new() { Timeout = Timeout });
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeHiddenAsync();
        // The dashboard offers a viewer no run controls, and the server refuses the call if one is made anyway.
        var card = viewer.Locator("[data-root=sample]");
        await Assertions.Expect(card).ToContainTextAsync("Your role (viewer) can watch indexing", new() { Timeout = Timeout });
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Start indexing" })).ToBeHiddenAsync();
        var status = await viewer.EvaluateAsync<int>(
            """
            async () => {
              const { csrf } = await (await fetch('/api/auth/session')).json();
              return (await fetch('/api/index/start?root=sample', { method: 'POST', headers: { 'X-CSRF-TOKEN': csrf } })).status;
            }
            """);
        Assert.Equal(403, status);
        await Browser.ScreenshotAsync(viewer, "security-3-viewer-watch-only");

        // The refusal is in the audit log the admin reads.
        await admin.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await Assertions.Expect(admin.Locator("table[aria-label=Audit] tbody")).ToContainTextAsync("POST /api/index/start", new() { Timeout = Timeout });
        await Assertions.Expect(admin.Locator("table[aria-label=Audit] tbody tr").Filter(new() { HasText = "vera" }).First).ToContainTextAsync("403");
        await Browser.ScreenshotAsync(admin, "security-4-audit");

        // Signing out ends the session.
        await viewer.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(viewer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\.html"), new() { Timeout = Timeout });
        await viewer.GotoAsync(server.BaseUrl + "/");
        await Assertions.Expect(viewer).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\.html"), new() { Timeout = Timeout });
    }
}
