using Microsoft.Extensions.Options;

namespace NasPacs.Enumeration;

internal sealed class LocalFileSourceOptionsValidator : IValidateOptions<LocalFileSourceOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalFileSourceOptions options)
    {
        var failures = new List<string>();
        if (options.ListingBufferSize is < 4 * 1024 or > 1024 * 1024)
        {
            failures.Add($"{nameof(LocalFileSourceOptions.ListingBufferSize)} must be 4096 to 1048576 bytes (was {options.ListingBufferSize}).");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{nameof(LocalFileSourceOptions.MaxAttempts)} must be 1 to 10 (was {options.MaxAttempts}).");
        }

        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{nameof(LocalFileSourceOptions.RetryDelay)} must be 0 to 30 seconds (was {options.RetryDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class CandidateFilterOptionsValidator : IValidateOptions<CandidateFilterOptions>
{
    public ValidateOptionsResult Validate(string? name, CandidateFilterOptions options)
    {
        var failures = new List<string>();
        foreach (var extension in options.Extensions)
        {
            if (string.IsNullOrWhiteSpace(extension) || extension.Contains('/', StringComparison.Ordinal) || extension.Contains('*', StringComparison.Ordinal))
            {
                failures.Add($"{nameof(CandidateFilterOptions.Extensions)} holds '{extension}', which is not a file extension such as '.dcm'.");
            }
        }

        foreach (var glob in options.IncludeGlobs.Concat(options.ExcludeGlobs))
        {
            if (string.IsNullOrWhiteSpace(glob) || glob.StartsWith('/'))
            {
                failures.Add($"Glob '{glob}' must be relative to the root, like '**/*.dcm'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
