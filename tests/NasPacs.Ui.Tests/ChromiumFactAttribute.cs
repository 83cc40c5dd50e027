namespace NasPacs.Ui.Tests;

/// <summary>
/// A fact that needs Debian's Chromium at <see cref="Browser.ExecutablePath"/>. Skipped with the reason when it is
/// missing, except under <c>CI=true</c>, where the test runs and fails loudly.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        var isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!isCi && !File.Exists(Browser.ExecutablePath))
        {
            Skip = $"{Browser.ExecutablePath} is missing outside CI (apt-get install chromium).";
        }
    }
}
