using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Playwright;

namespace NasPacs.Ui.Tests;

/// <summary>Launches Debian's Chromium through Playwright, as tooling-notes.md says.</summary>
public static class Browser
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private const float Timeout = 60_000;

    /// <summary>
    /// Launches Chromium. When the test has started a <see cref="UiServer"/>, every page that the returned browser opens
    /// is first signed in as that server's admin through the real sign-in page (<see cref="SignInAsync"/>).
    /// </summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var (playwright, browser) = await LaunchPlainAsync();
        return UiServer.Current is { } server ? (playwright, SigningInBrowser.Wrap(browser, server)) : (playwright, browser);
    }

    /// <summary>Launches Chromium whose pages are not signed in.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchPlainAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: apt-get install -y chromium.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Signs <paramref name="page"/> in through the sign-in page, as a person would, and waits for the dashboard.</summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string user, string password)
    {
        await page.GotoAsync(baseUrl + "/login.html");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login.html", StringComparison.Ordinal), new() { Timeout = Timeout });
    }

    /// <summary>Saves a screenshot under the test output folder's <c>screenshots</c> (kept as a test artifact).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    /// <summary>An <see cref="IBrowser"/> whose <c>NewPageAsync</c> signs the new page in; every other call goes to Chromium.</summary>
#pragma warning disable CA1852 // DispatchProxy needs a non-sealed class.
    internal class SigningInBrowser : DispatchProxy
#pragma warning restore CA1852
    {
        private IBrowser? _inner;
        private UiServer? _server;

        public static IBrowser Wrap(IBrowser inner, UiServer server)
        {
            var proxy = Create<IBrowser, SigningInBrowser>();
            var self = (SigningInBrowser)(object)proxy;
            self._inner = inner;
            self._server = server;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IBrowser.NewPageAsync))
            {
                return NewSignedInPageAsync((BrowserNewPageOptions?)args?[0]);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        private async Task<IPage> NewSignedInPageAsync(BrowserNewPageOptions? options)
        {
            var page = await _inner!.NewPageAsync(options);
            await SignInAsync(page, _server!.BaseUrl, "admin", _server.AdminPassword);
            return page;
        }
    }
}
