using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NasPacs.Smb;

namespace NasPacs.Api.Hosting;

internal sealed partial class NasPacsOptionsValidator : IValidateOptions<NasPacsOptions>
{
    public ValidateOptionsResult Validate(string? name, NasPacsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataPath))
        {
            failures.Add("NasPacs:DataPath must name a folder.");
        }

        if (options.LiveStatusInterval < TimeSpan.FromMilliseconds(100) || options.LiveStatusInterval > TimeSpan.FromSeconds(1))
        {
            failures.Add($"NasPacs:LiveStatusInterval must be 00:00:00.1 to 00:00:01 (was {options.LiveStatusInterval}).");
        }

        if (options.ReindexAt.Count > 24)
        {
            failures.Add($"NasPacs:ReindexAt holds {options.ReindexAt.Count} times of day; at most 24.");
        }

        if (options.Roots.Count == 0 && !options.GenerateSample)
        {
            failures.Add("NasPacs:Roots: configure at least one root (NasPacs:Roots:{name}:Path), or set NasPacs:GenerateSample to true.");
        }

        foreach (var (rootName, root) in options.Roots)
        {
            var setting = $"NasPacs:Roots:{rootName}";
            if (!RootName().IsMatch(rootName))
            {
                failures.Add($"{setting}: a root name is 1 to 40 letters, digits, '-' or '_'.");
            }

            if (string.IsNullOrWhiteSpace(root.Path))
            {
                failures.Add($"{setting}:Path is required (a folder or smb://host/share/path).");
            }
            else if (root.IsSmb)
            {
                try
                {
                    _ = new SmbOptions().WithUri(root.Path);
                }
                catch (ArgumentException ex)
                {
                    failures.Add($"{setting}:Path: {ex.Message}");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex RootName();
}
