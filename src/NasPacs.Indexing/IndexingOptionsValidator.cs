using Microsoft.Extensions.Options;

namespace NasPacs.Indexing;

internal sealed class IndexingOptionsValidator : IValidateOptions<IndexingOptions>
{
    public ValidateOptionsResult Validate(string? name, IndexingOptions options)
    {
        var failures = new List<string>();
        void Range(string setting, double value, double min, double max)
        {
            if (double.IsNaN(value) || value < min || value > max)
            {
                failures.Add($"{setting} must be {min} to {max} (was {value}).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"{nameof(IndexingOptions.DatabasePath)} must name a file.");
        }

        Range(nameof(IndexingOptions.MaxWorkers), options.MaxWorkers, 1, 256);
        Range(nameof(IndexingOptions.EnumerationParallelism), options.EnumerationParallelism, 1, 64);
        Range(nameof(IndexingOptions.ChunkSize), options.ChunkSize, 1, 1_000_000);
        Range(nameof(IndexingOptions.MinStatusInterval) + " (seconds)", options.MinStatusInterval.TotalSeconds, 0, 60);
        Range(nameof(IndexingOptions.WriteBatchSize), options.WriteBatchSize, 1, 100_000);
        Range(nameof(IndexingOptions.WriteGatherTime) + " (seconds)", options.WriteGatherTime.TotalSeconds, 0, 5);
        Range(nameof(IndexingOptions.MaxFilesPerSecond), options.MaxFilesPerSecond, 0, 1_000_000);
        Range(nameof(IndexingOptions.MaxMegabytesPerSecond), options.MaxMegabytesPerSecond, 0, 10_000);
        Range(nameof(IndexingOptions.MaxReadAttempts), options.MaxReadAttempts, 1, 10);
        Range(nameof(IndexingOptions.RetryDelay) + " (seconds)", options.RetryDelay.TotalSeconds, 0, 30);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
