using Polly;
using Polly.Retry;

namespace NasPacs.Enumeration;

/// <summary>The back-off used for transient listing failures.</summary>
internal static class Retry
{
    public static ResiliencePipeline Create(LocalFileSourceOptions options, TimeProvider time)
    {
        if (options.MaxAttempts <= 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(FileErrors.IsTransient),
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }
}
