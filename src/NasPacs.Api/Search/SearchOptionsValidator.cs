using Microsoft.Extensions.Options;
using static NasPacs.Api.Hosting.SettingChecks;

namespace NasPacs.Api.Search;

/// <summary>Checks <see cref="SearchOptions"/> at start-up; every message names the setting.</summary>
internal sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
{
    public ValidateOptionsResult Validate(string? name, SearchOptions options)
    {
        var failures = new List<string>();
        var s = SearchOptions.Section;
        Range(failures, $"{s}:Slots", options.Slots, 1, 1024);
        if (options.QueueLimit is { } queueLimit)
        {
            Range(failures, $"{s}:QueueLimit", queueLimit, 0, 100_000);
        }

        Range(failures, $"{s}:MaxWait", options.MaxWait, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
