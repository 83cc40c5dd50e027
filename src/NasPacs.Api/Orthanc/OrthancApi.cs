using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;
using NasPacs.OrthancBridge;

namespace NasPacs.Api.Orthanc;

/// <summary>The Orthanc bridge over HTTP: connection state, series sync state and pushes, bulk push jobs, recent pushes.</summary>
internal static class OrthancApi
{
    public static RouteGroupBuilder MapOrthancApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orthanc").WithTags("Orthanc");
        group.MapGet("/status", StatusAsync).WithName("GetOrthancStatus").WithSummary("Connection state: reachable, credentials, version, provenance metadata configuration.");
        group.MapGet("/sync", SyncAsync).WithName("GetOrthancSyncState").WithSummary("Whether Orthanc holds a series: absent, partial, complete, drifted (from predicted IDs).");
        group.MapPost("/push", PushAsync).WithName("PushSeriesToOrthanc").WithSummary("Pushes one series as a background job (202 with the job).");
        group.MapPost("/jobs", StartBulkAsync).WithName("StartOrthancPushJob").WithSummary("Pushes every series matching a search as a background job.");
        group.MapGet("/jobs", (IOrthancBridge bridge) => TypedResults.Ok(bridge.Jobs.Select(j => j.Status with { Results = [] }).ToList()))
            .WithName("GetOrthancPushJobs").WithSummary("Kept push jobs, newest first (without per-series results).");
        group.MapGet("/jobs/{id}", (IOrthancBridge bridge, string id) => Job(bridge, id, _ => { }))
            .WithName("GetOrthancPushJob").WithSummary("One push job with its per-series results.");
        group.MapPost("/jobs/{id}/pause", (IOrthancBridge bridge, string id) => Job(bridge, id, j => j.Pause())).WithName("PauseOrthancPushJob");
        group.MapPost("/jobs/{id}/resume", (IOrthancBridge bridge, string id) => Job(bridge, id, j => j.Resume())).WithName("ResumeOrthancPushJob");
        group.MapPost("/jobs/{id}/cancel", (IOrthancBridge bridge, string id) => Job(bridge, id, j => j.Cancel())).WithName("CancelOrthancPushJob");
        group.MapGet("/jobs/{id}/events", Events).WithName("OrthancPushJobEvents").WithSummary("Server-Sent Events: the job's status twice a second until it ends.");
        group.MapGet("/pushes", (IOrthancBridge bridge) => TypedResults.Ok(bridge.RecentPushes))
            .WithName("GetOrthancPushes").WithSummary("Recent series pushes with their outcome, newest first.");
        return group;
    }

    private static async Task<Ok<OrthancConnectionState>> StatusAsync(IOrthancBridge bridge, CancellationToken cancellationToken)
        => TypedResults.Ok(await bridge.GetConnectionStateAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<SeriesSyncState>, ValidationProblem, ProblemHttpResult>> SyncAsync(
        IOrthancBridge bridge, RootCatalog catalog, string? key, string? root, CancellationToken cancellationToken)
    {
        var (target, invalid, problem) = await ResolveAsync(bridge, catalog, key, root, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        if (problem is not null)
        {
            return problem;
        }

        try
        {
            return TypedResults.Ok(await bridge.GetSyncStateAsync(target!.Query, key!, cancellationToken).ConfigureAwait(false));
        }
        catch (OrthancException ex)
        {
            return OrthancProblems.From(ex);
        }
    }

    private static async Task<Results<Accepted<PushJobStatus>, ValidationProblem, ProblemHttpResult>> PushAsync(
        IOrthancBridge bridge, RootCatalog catalog, string? key, string? root, CancellationToken cancellationToken)
    {
        var (target, invalid, problem) = await ResolveAsync(bridge, catalog, key, root, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        if (problem is not null)
        {
            return problem;
        }

        var job = bridge.StartJob(new PushJobRequest
        {
            Sources = [new PushJobSource(new SeriesOrigin(target!.Name, target.OpenSource(), target.Query), SeriesKeys: [key!])],
            Description = $"Series {key} ({target.Name})",
            OwnsFileSources = true,
        });
        return TypedResults.Accepted($"/api/orthanc/jobs/{job.Id}", job.Status);
    }

    private static Results<Accepted<PushJobStatus>, ValidationProblem, ProblemHttpResult> StartBulkAsync(
        IOrthancBridge bridge, RootCatalog catalog, string? q, string? modality, string? from, string? to, string? root)
    {
        var errors = new RequestErrors();
        var fromDate = errors.Date(from, "from");
        var toDate = errors.Date(to, "to");
        if (fromDate > toDate)
        {
            errors.Add("to", "to must not be before from.");
        }

        if (q?.Length > 200)
        {
            errors.Add("q", "q must be at most 200 characters.");
        }

        IReadOnlyCollection<NasRoot> roots = root is null ? catalog.All : [errors.Root(catalog, root)];
        if (errors.Any)
        {
            return errors.Problem();
        }

        if (bridge.ConfigurationError is { } notConfigured)
        {
            return OrthancProblems.From(notConfigured);
        }

        var search = new SeriesSearch { Text = q, Modality = string.IsNullOrWhiteSpace(modality) ? null : modality, From = fromDate, To = toDate };
        var described = string.Join(", ", new[] { q, modality, from is null && to is null ? null : $"{from}…{to}" }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var job = bridge.StartJob(new PushJobRequest
        {
            Sources = roots.Select(r => new PushJobSource(new SeriesOrigin(r.Name, r.OpenSource(), r.Query), Search: search)).ToList(),
            Description = described.Length == 0 ? "Every indexed series" : $"Series matching {described}",
            OwnsFileSources = true,
        });
        return TypedResults.Accepted($"/api/orthanc/jobs/{job.Id}", job.Status);
    }

    private static Results<Ok<PushJobStatus>, ProblemHttpResult> Job(IOrthancBridge bridge, string id, Action<IPushJob> action)
    {
        if (bridge.FindJob(id) is not { } job)
        {
            return OrthancProblems.JobNotFound(id);
        }

        action(job);
        return TypedResults.Ok(job.Status);
    }

    private static Results<ServerSentEventsResult<PushJobStatus>, ProblemHttpResult> Events(IOrthancBridge bridge, string id, TimeProvider time, CancellationToken cancellationToken)
        => bridge.FindJob(id) is { } job
            ? TypedResults.ServerSentEvents(JobStream(job, time, cancellationToken), eventType: "job")
            : OrthancProblems.JobNotFound(id);

    private static async IAsyncEnumerable<PushJobStatus> JobStream(IPushJob job, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var status = job.Status;
            yield return status;
            if (!status.Active)
            {
                yield break;
            }

            try
            {
                await Task.WhenAny(job.Completion, Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The root holding <paramref name="key"/> (the named one, else the first that has it), or why a series route cannot
    /// go on: invalid parameters, an unknown series, or no Orthanc configured.
    /// </summary>
    private static async Task<(NasRoot? Root, ValidationProblem? Invalid, ProblemHttpResult? Problem)> ResolveAsync(
        IOrthancBridge bridge, RootCatalog catalog, string? key, string? root, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 1024)
        {
            errors.Add("key", "key must be a series key of 1 to 1,024 characters.");
        }

        IReadOnlyCollection<NasRoot> roots = root is null ? catalog.All : [errors.Root(catalog, root)];
        if (errors.Any)
        {
            return (null, errors.Problem(), null);
        }

        foreach (var r in roots)
        {
            if (await r.Query.GetSeriesAsync(key!, cancellationToken).ConfigureAwait(false) is not null)
            {
                return bridge.ConfigurationError is { } notConfigured ? (null, null, OrthancProblems.From(notConfigured)) : (r, null, null);
            }
        }

        return (null, null, Problems.NotFound($"No series with key '{key}' is in the index."));
    }
}
