using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NasPacs.OrthancBridge;

/// <summary>Checks <see cref="OrthancOptions"/> at start-up; each failure names its setting.</summary>
internal sealed partial class OrthancOptionsValidator : IValidateOptions<OrthancOptions>
{
    public ValidateOptionsResult Validate(string? name, OrthancOptions options)
    {
        var failures = new List<string>();
        const string S = OrthancOptions.Section;
        if (options.Url is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{S}:Url must be an absolute http:// or https:// address (for example http://orthanc:8042).");
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                failures.Add($"{S}:Url must not contain a user name or password; set {S}:Username and the password through the environment.");
            }
        }

        Range(failures, $"{S}:MaxConcurrency", options.MaxConcurrency, 1, 64);
        Range(failures, $"{S}:MaxRetries", options.MaxRetries, 0, 20);
        Range(failures, $"{S}:HistorySize", options.HistorySize, 1, 10_000);
        Range(failures, $"{S}:RequestTimeout", options.RequestTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Range(failures, $"{S}:ConnectTimeout", options.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2));
        Range(failures, $"{S}:RetryDelay", options.RetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        Range(failures, $"{S}:MaxRetryDelay", options.MaxRetryDelay, options.RetryDelay, TimeSpan.FromMinutes(5));
        Range(failures, $"{S}:BreakDuration", options.BreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        if (!string.Equals(options.Strategy, CopyStrategyName, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{S}:Strategy must be '{CopyStrategyName}' (was '{options.Strategy}').");
        }

        if (!string.IsNullOrEmpty(options.Label) && !Label().IsMatch(options.Label))
        {
            failures.Add($"{S}:Label must be 1 to 64 letters, digits, '-' or '_' (Orthanc's rule for labels).");
        }

        foreach (var (setting, value) in new[]
        {
            ("Source", options.Metadata.Source), ("Path", options.Metadata.Path), ("SeriesKey", options.Metadata.SeriesKey),
            ("PushTime", options.Metadata.PushTime), ("FileCount", options.Metadata.FileCount), ("ManifestHash", options.Metadata.ManifestHash),
        })
        {
            if (string.IsNullOrWhiteSpace(value) || !MetadataName().IsMatch(value))
            {
                failures.Add($"{S}:Metadata:{setting} must be a name of letters, digits, '-' or '_' as declared in Orthanc's UserMetadata.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private const string CopyStrategyName = "copy";

    private static void Range<T>(List<string> failures, string setting, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"{setting} must be from {min} to {max} (was {value}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Label();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex MetadataName();
}
