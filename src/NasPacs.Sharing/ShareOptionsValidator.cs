using Microsoft.Extensions.Options;

namespace NasPacs.Sharing;

internal sealed class ShareOptionsValidator : IValidateOptions<ShareOptions>
{
    public ValidateOptionsResult Validate(string? name, ShareOptions options)
    {
        var failures = new List<string>();
        void Range(string setting, double value, double min, double max)
        {
            if (double.IsNaN(value) || value < min || value > max)
            {
                failures.Add($"Sharing:{setting} must be {min} to {max} (was {value}).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"Sharing:{nameof(ShareOptions.DatabasePath)} must name a file.");
        }

        Range(nameof(ShareOptions.MaxExpiry) + " (days)", options.MaxExpiry.TotalDays, 1.0 / 1440, 365);
        Range(nameof(ShareOptions.DefaultExpiry) + " (days)", options.DefaultExpiry.TotalDays, 1.0 / 1440, options.MaxExpiry.TotalDays);
        Range(nameof(ShareOptions.MaxDownloadsLimit), options.MaxDownloadsLimit, 1, 1_000_000);
        Range(nameof(ShareOptions.PasswordIterations), options.PasswordIterations, 10_000, 10_000_000);
        Range(nameof(ShareOptions.MinPasswordLength), options.MinPasswordLength, 4, 128);
        Range(nameof(ShareOptions.ShareFailureLimit), options.ShareFailureLimit, 1, 100);
        Range(nameof(ShareOptions.ClientFailureLimit), options.ClientFailureLimit, 1, 1000);
        Range(nameof(ShareOptions.FailureBackoff) + " (seconds)", options.FailureBackoff.TotalSeconds, 1, 3600);
        Range(nameof(ShareOptions.MaxFailureBackoff) + " (seconds)", options.MaxFailureBackoff.TotalSeconds, options.FailureBackoff.TotalSeconds, 86_400);
        Range(nameof(ShareOptions.ClientFailureWindow) + " (seconds)", options.ClientFailureWindow.TotalSeconds, 60, 86_400);
        Range(nameof(ShareOptions.ReadBufferSize), options.ReadBufferSize, 4096, 16 * 1024 * 1024);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
