using Microsoft.Extensions.Options;
using static NasPacs.Api.Hosting.SettingChecks;

namespace NasPacs.Api.Security;

internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>, IValidateOptions<HttpsOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        var s = SecurityOptions.Section;
        Range(failures, $"{s}:SessionLifetime", options.SessionLifetime, TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
        Range(failures, $"{s}:MaxBackoff", options.MaxBackoff, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
        Range(failures, $"{s}:LoginAttemptsPerMinute", options.LoginAttemptsPerMinute, 1, 10_000);
        Range(failures, $"{s}:FailuresBeforeBackoff", options.FailuresBeforeBackoff, 1, 100);
        Range(failures, $"{s}:ApiRequestsPerMinute", options.ApiRequestsPerMinute, 10, 1_000_000);
        Range(failures, $"{s}:MinPasswordLength", options.MinPasswordLength, 8, 128);
        if (!string.IsNullOrWhiteSpace(options.KeyRingCertificatePath) && !File.Exists(options.KeyRingCertificatePath))
        {
            failures.Add($"{s}:KeyRingCertificatePath: the file {options.KeyRingCertificatePath} does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, HttpsOptions options)
    {
        var failures = new List<string>();
        var s = HttpsOptions.Section;
        if (options.Port is { } port)
        {
            Range(failures, $"{s}:Port", port, 1, 65_535);
        }

        Range(failures, $"{s}:HstsMaxAge", options.HstsMaxAge, TimeSpan.Zero, TimeSpan.FromDays(730));
        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                failures.Add($"{s}:CertificatePath is required when {s}:Enabled is true (a .pfx, or a PEM certificate with {s}:KeyPath).");
            }
            else if (!File.Exists(options.CertificatePath))
            {
                failures.Add($"{s}:CertificatePath: the file {options.CertificatePath} does not exist.");
            }

            if (!string.IsNullOrWhiteSpace(options.KeyPath) && !File.Exists(options.KeyPath))
            {
                failures.Add($"{s}:KeyPath: the file {options.KeyPath} does not exist.");
            }
        }
        else if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            // A certificate with HTTPS off would be ignored, and an https:// address would then fail on a missing certificate.
            failures.Add($"{s}:CertificatePath is set but {s}:Enabled is false: set {s}:Enabled to true to serve HTTPS with it, or remove the certificate setting.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
