using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace NasPacs.OrthancBridge.Client;

/// <summary>
/// One resilience pipeline for every Orthanc request: retries with exponential back-off and jitter (outermost), a
/// circuit breaker shared by all pushes so that a dead Orthanc is not hammered, and a timeout per attempt (innermost).
/// It wraps a whole attempt (open the NAS file, send it, read the answer), because a streamed body cannot be replayed
/// by a message handler.
/// </summary>
internal sealed class OrthancResilience
{
    private readonly ResiliencePipeline _pipeline;
    private readonly Uri _url;

    public OrthancResilience(IOptions<OrthancOptions> options, TimeProvider time, ILogger<OrthancResilience> logger)
    {
        var o = options.Value;
        _url = o.Url ?? new Uri("http://orthanc.invalid/");
        var transient = new PredicateBuilder()
            .Handle<OrthancException>(ex => ex.IsTransient)
            .Handle<TimeoutRejectedException>();
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<OrthancException>(ex => ex.IsTransient)
                    .Handle<TimeoutRejectedException>()
                    .Handle<BrokenCircuitException>(),
                MaxRetryAttempts = Math.Max(o.MaxRetries, 0),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RetryDelay,
                MaxDelay = o.MaxRetryDelay,
                OnRetry = args =>
                {
                    logger.Retrying(args.AttemptNumber + 1, args.RetryDelay, Code(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = 0.8,
                MinimumThroughput = 8,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = o.BreakDuration,
                OnOpened = args =>
                {
                    logger.CircuitOpened(args.BreakDuration, Code(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(o.RequestTimeout)
            .Build();
    }

    /// <summary>Runs <paramref name="action"/> with retries; a final timeout or open circuit becomes a classified <see cref="OrthancException"/>.</summary>
    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(static (a, ct) => a(ct), action, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw OrthancErrors.Timeout(_url, ex);
        }
        catch (BrokenCircuitException ex)
        {
            throw OrthancErrors.CircuitOpen(_url, ex);
        }
    }

    private static string Code(Exception? ex) => ex switch
    {
        OrthancException o => o.Code,
        null => "none",
        _ => ex.GetType().Name,
    };
}
