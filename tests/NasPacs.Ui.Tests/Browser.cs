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

    /// <summary>
    /// Signs <paramref name="page"/> in through the sign-in page, as a person would, and waits for the dashboard. When the
    /// page does not leave the sign-in page in time, the failure says what the page showed, the sign-in requests' answers
    /// and the browser's console errors, and leaves a screenshot (twice so far, in CI on a loaded machine, unexplained).
    /// </summary>
    public static async Task SignInAsync(IPage page, string baseUrl, string user, string password)
    {
        var seen = new List<string>();
        void OnResponse(object? sender, IResponse response)
        {
            if (response.Url.Contains("/api/auth/", StringComparison.Ordinal))
            {
                lock (seen)
                {
                    seen.Add($"{response.Status} {response.Request.Method} {new Uri(response.Url).AbsolutePath}");
                }
            }
        }

        void OnConsole(object? sender, IConsoleMessage message)
        {
            if (message.Type is "error" or "warning")
            {
                lock (seen)
                {
                    seen.Add($"console {message.Type}: {message.Text}");
                }
            }
        }

        page.Response += OnResponse;
        page.Console += OnConsole;
        try
        {
            await page.GotoAsync(baseUrl + "/login.html");
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => !url.Contains("/login.html", StringComparison.Ordinal), new() { Timeout = Timeout });
        }
        catch (TimeoutException ex)
        {
            await ScreenshotAsync(page, $"sign-in-timeout-{Guid.NewGuid():N}");
            var shown = await page.Locator("main, body").First.InnerTextAsync(new() { Timeout = 5_000 });
            lock (seen)
            {
                throw new TimeoutException(
                    $"The page did not leave {page.Url} within {Timeout / 1000:0} s after 'Sign in'. It shows: {shown.ReplaceLineEndings(" ")}. " +
                    $"Seen: {(seen.Count == 0 ? "no sign-in request answered" : string.Join("; ", seen))}.",
                    ex);
            }
        }
        finally
        {
            page.Response -= OnResponse;
            page.Console -= OnConsole;
        }
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
