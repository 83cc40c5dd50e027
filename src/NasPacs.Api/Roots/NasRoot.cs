using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing;

namespace NasPacs.Api.Roots;

/// <summary>
/// One named NAS root with its own index file: at most one run at a time (runs on different roots may proceed at once),
/// the last status for the dashboard, and a signal for live listeners.
/// </summary>
internal sealed class NasRoot : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly Func<IFileSource> _openSource;
    private readonly StatusSignal _signal;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IIndexRun? _run;
    private bool _starting;
    private IndexStatus? _lastStatus;
    private IndexState _lastPhase = IndexState.Idle;
    private Task _observer = Task.CompletedTask;

    public NasRoot(string name, string location, bool isSmb, string databasePath, ServiceProvider services, Func<IFileSource> openSource, StatusSignal signal, ILogger logger)
    {
        Name = name;
        Location = location;
        IsSmb = isSmb;
        DatabasePath = databasePath;
        _services = services;
        _openSource = openSource;
        _signal = signal;
        _logger = logger;
        Query = services.GetRequiredService<IIndexQuery>();
    }

    public string Name { get; }

    /// <summary>The configured path or URI (never credentials).</summary>
    public string Location { get; }

    public bool IsSmb { get; }

    public string DatabasePath { get; }

    /// <summary>The indexing settings this root's runs use (shared ones, the root's own, an SMB root's defaults).</summary>
    public IndexingOptions IndexingSettings => _services.GetRequiredService<IOptions<IndexingOptions>>().Value;

    public IIndexQuery Query { get; }

    /// <summary>Why the last start or run failed, until the next start.</summary>
    public RootProblem? Problem { get; private set; }

    /// <summary>Whether a run is active (starting, running, paused or cancelling).</summary>
    public bool IsActive
    {
        get
        {
            lock (_gate)
            {
                return _starting || _run is not null;
            }
        }
    }

    /// <summary>The status of the active run, else of the last run this process saw; <see langword="null"/> before any.</summary>
    public IndexStatus? CurrentStatus
    {
        get
        {
            lock (_gate)
            {
                return _run?.Status ?? _lastStatus;
            }
        }
    }

    /// <summary>The status and whether a run is active, read together so that they never disagree.</summary>
    public (IndexStatus? Status, bool Active) Snapshot()
    {
        lock (_gate)
        {
            return (_run?.Status ?? _lastStatus, _starting || _run is not null);
        }
    }

    /// <summary>Opens a source on the root (a fresh one each time; the caller disposes it).</summary>
    public IFileSource OpenSource() => _openSource();

    /// <summary>Starts a run.</summary>
    /// <exception cref="RunConflictException">A run on this root is already active.</exception>
    /// <exception cref="FileSourceException">The root cannot be reached.</exception>
    /// <exception cref="IndexingException">The index cannot be opened or is used by another process.</exception>
    public async Task<IndexStatus> StartAsync()
    {
        lock (_gate)
        {
            if (_starting || _run is not null)
            {
                throw new RunConflictException($"A run on root '{Name}' is already active.");
            }

            _starting = true;
            Problem = null;
        }

        IFileSource? source = null;
        try
        {
            source = _openSource();
            var run = await _services.GetRequiredService<IIndexer>().StartAsync(source, CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                _run = run;
                _starting = false;
                _lastPhase = run.Status.Phase;
            }

            run.StatusChanged += OnStatusChanged;
            _observer = ObserveAsync(run, source);
            _logger.RunStarted(Name, run.RunId);
            _signal.Raise();
            return run.Status;
        }
        catch (Exception ex) when (ex is FileSourceException or IndexingException)
        {
            var problem = ex is FileSourceException fs ? RootProblem.From(fs) : RootProblem.From((IndexingException)ex);
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            lock (_gate)
            {
                _starting = false;
                if (problem.Code != "index.busy")
                {
                    Problem = problem;
                    _lastStatus = new IndexStatus { Phase = IndexState.Failed, Root = Location, LastUpdated = DateTimeOffset.UtcNow, FailureMessage = problem.Message };
                }
            }

            _logger.StartFailed(Name, problem.Code);
            _signal.Raise();
            throw;
        }
        catch
        {
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }

            lock (_gate)
            {
                _starting = false;
            }

            throw;
        }
    }

    /// <summary>
    /// Starts a run for a caller nobody waits on (start-up, the schedule): a root that cannot be reached or indexed is
    /// logged and shown as the root's problem by <see cref="StartAsync"/>, a run already active is logged; neither throws.
    /// </summary>
    public async Task TryStartAsync()
    {
        try
        {
            await StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileSourceException or IndexingException)
        {
            // StartAsync logged it and set Problem, which the dashboard shows with its suggestion.
        }
        catch (RunConflictException)
        {
            _logger.StartFailed(Name, "conflict");
        }
    }

    /// <summary>Applies <paramref name="action"/> to the active run.</summary>
    /// <exception cref="RunConflictException">No run is active on this root.</exception>
    public IndexStatus Control(Action<IIndexRun> action, string verb)
    {
        IIndexRun run;
        lock (_gate)
        {
            run = _run ?? throw new RunConflictException($"No run is active on root '{Name}', so there is nothing to {verb}.");
        }

        action(run);
        _signal.Raise();
        return run.Status;
    }

    /// <summary>Waits until the active run (if any) has ended and been cleaned up.</summary>
    public Task WhenIdleAsync() => _observer;

    public async ValueTask DisposeAsync()
    {
        IIndexRun? run;
        lock (_gate)
        {
            run = _run;
        }

        run?.Cancel();
        try
        {
            await _observer.ConfigureAwait(false);
        }
        finally
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void OnStatusChanged(object? sender, IndexStatus status)
    {
        // Chunks arrive many times a second on a fast disk; listeners are woken only on a phase change and poll otherwise.
        if (status.Phase != _lastPhase)
        {
            _lastPhase = status.Phase;
            _signal.Raise();
        }
    }

    private async Task ObserveAsync(IIndexRun run, IFileSource source)
    {
        IndexStatus final;
        try
        {
            final = await run.Completion.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A run that faults must still release the root; the failure is shown as the run's status.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _logger.RunFaulted(Name, ex.GetType().Name);
            final = run.Status with { Phase = IndexState.Failed, Running = false, FailureMessage = "The run stopped on an internal error; see the server log." };
        }

        run.StatusChanged -= OnStatusChanged;
        try
        {
            await run.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await source.DisposeAsync().ConfigureAwait(false);
            lock (_gate)
            {
                _lastStatus = final;
                _lastPhase = final.Phase;
                _run = null;
                if (final.Phase == IndexState.Failed)
                {
                    Problem = RootProblem.RunFailed(final.FailureMessage, IsSmb);
                }
            }

            _logger.RunEnded(Name, run.RunId, final.Phase, final.FilesProcessed, final.Errors);
            _signal.Raise();
        }
    }
}

/// <summary>A run cannot start, or cannot be controlled, because of the root's current state (HTTP 409).</summary>
internal sealed class RunConflictException(string message) : Exception(message);
