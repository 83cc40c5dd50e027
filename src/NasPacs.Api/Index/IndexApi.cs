using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;
using NasPacs.Api.Security;

namespace NasPacs.Api.Index;

/// <summary>Index runs: start, status, pause, resume, cancel, live events, errors, runs and the JSON export.</summary>
internal static class IndexApi
{
    public static RouteGroupBuilder MapIndexApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/index").WithTags("Index");
        group.MapPost("/start", StartAsync).WithName("StartIndex").WithSummary("Starts a run on a root (409 while one is active on it).");
        group.MapGet("/status", StatusAsync).WithName("GetIndexStatus").WithSummary("The status of every root, or of one.");
        group.MapPost("/pause", (RootCatalog c, string? root, ClaimsPrincipal user) => Control(c, root, r => r.Pause(), "pause", user)).WithName("PauseIndex");
        group.MapPost("/resume", (RootCatalog c, string? root, ClaimsPrincipal user) => Control(c, root, r => r.Resume(), "resume", user)).WithName("ResumeIndex");
        group.MapPost("/cancel", (RootCatalog c, string? root, ClaimsPrincipal user) => Control(c, root, r => r.Cancel(), "cancel", user)).WithName("CancelIndex");
        group.MapGet("/events", Events).WithName("IndexEvents").WithSummary("Server-Sent Events: the status of every root, often while a run is active and at every phase change.");
        group.MapGet("/errors", ErrorsAsync).WithName("GetIndexErrors").WithSummary("Error reports, newest first, paged, optionally of one class or run.");
        group.MapGet("/runs", RunsAsync).WithName("GetIndexRuns").WithSummary("Runs of a root, newest first.");
        group.MapGet("/export.json", Export).WithName("ExportIndex").WithSummary("The design's index JSON (series with files), streamed.");
        return group;
    }

    private static async Task<Results<Accepted<RootStatus>, ValidationProblem, ProblemHttpResult>> StartAsync(
        RootCatalog catalog, StatusReporter reporter, string? root, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        if (errors.Any)
        {
            return errors.Problem();
        }

        try
        {
            await target.StartAsync().ConfigureAwait(false);
        }
        catch (RunConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
        catch (FileSourceException ex)
        {
            return Problems.Root(target, RootProblem.From(ex));
        }
        catch (IndexingException ex)
        {
            return Problems.Root(target, RootProblem.From(ex));
        }

        var status = await reporter.DescribeAsync([target], cancellationToken).ConfigureAwait(false);
        return TypedResults.Accepted("/api/index/status?root=" + Uri.EscapeDataString(target.Name), RootLocations.ForCaller(status.Roots[0], user));
    }

    private static async Task<Results<Ok<StatusResponse>, ValidationProblem>> StatusAsync(
        RootCatalog catalog, StatusReporter reporter, string? root, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (root is null)
        {
            return TypedResults.Ok(RootLocations.ForCaller(await reporter.DescribeAllAsync(cancellationToken).ConfigureAwait(false), user));
        }

        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        return errors.Any ? errors.Problem() : TypedResults.Ok(RootLocations.ForCaller(await reporter.DescribeAsync([target], cancellationToken).ConfigureAwait(false), user));
    }

    private static Results<Ok<IndexStatus>, ValidationProblem, ProblemHttpResult> Control(RootCatalog catalog, string? root, Action<IIndexRun> action, string verb, ClaimsPrincipal user)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        if (errors.Any)
        {
            return errors.Problem();
        }

        try
        {
            return TypedResults.Ok(RootLocations.ForCaller(target.Control(action, verb), target.Name, user));
        }
        catch (RunConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static ServerSentEventsResult<StatusResponse> Events(
        RootCatalog catalog, StatusReporter reporter, IOptions<NasPacsOptions> options, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
        => TypedResults.ServerSentEvents(StatusStream(catalog, reporter, options.Value.LiveStatusInterval, time, user, cancellationToken), eventType: "status");

    private static async IAsyncEnumerable<StatusResponse> StatusStream(
        RootCatalog catalog, StatusReporter reporter, TimeSpan interval, TimeProvider time, ClaimsPrincipal user, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Idle dashboards still hear from the server every 15 s, so proxies do not drop the connection.
        var idleInterval = TimeSpan.FromSeconds(15);
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = catalog.Signal.NextAsync();
            yield return RootLocations.ForCaller(await reporter.DescribeAllAsync(cancellationToken).ConfigureAwait(false), user);
            try
            {
                await changed.WaitAsync(catalog.AnyActive ? interval : idleInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // No phase change: send the progress anyway.
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static async Task<Results<Ok<ErrorPage>, ValidationProblem>> ErrorsAsync(
        RootCatalog catalog, string? root, string? category, string? run, string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        var paging = errors.Paging(page, pageSize);
        var runId = errors.Long(run, "run");
        ErrorCategory? parsedCategory = null;
        if (!string.IsNullOrWhiteSpace(category))
        {
            if (Enum.TryParse<ErrorCategory>(category.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var c) && Enum.IsDefined(c))
            {
                parsedCategory = c;
            }
            else
            {
                errors.Add("category", $"category must be one of: {string.Join(", ", Enum.GetNames<ErrorCategory>().Select(Snake))}.");
            }
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var result = await target.Query.GetErrorsAsync(
            new ErrorSearch { Category = parsedCategory, RunId = runId, Page = new PageRequest(paging.Offset, paging.Limit) },
            cancellationToken).ConfigureAwait(false);
        var items = result.Items.Select(e => new ErrorItem(
            e.Id, e.RunId, e.Report.Category, e.Report.Code, e.Report.Message, e.Report.Suggestion, e.Report.Path, e.Report.Timestamp, e.Report.RetryCount, e.Report.IsTransient)).ToList();
        return TypedResults.Ok(new ErrorPage(target.Name, items, result.Total, (paging.Offset / paging.Limit) + 1, paging.Limit));
    }

    private static async Task<Results<Ok<Page<IndexRunInfo>>, ValidationProblem>> RunsAsync(
        RootCatalog catalog, string? root, string? page, string? pageSize, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        var paging = errors.Paging(page, pageSize, 20);
        return errors.Any
            ? errors.Problem()
            : TypedResults.Ok(RootLocations.ForCaller(await target.Query.GetRunsAsync(new PageRequest(paging.Offset, paging.Limit), cancellationToken).ConfigureAwait(false), target.Name, user));
    }

    private static Results<PushStreamHttpResult, ValidationProblem> Export(RootCatalog catalog, string? root, bool? relative, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var target = errors.Root(catalog, root);
        if (errors.Any)
        {
            return errors.Problem();
        }

        // The design's JSON holds absolute paths; like a root's location, they are for admins (others get relative ones).
        var options = new ExportOptions { AbsolutePaths = relative != true && RootLocations.MaySee(user) };
        return TypedResults.Stream(
            stream => target.Query.ExportAsync(stream, options, cancellationToken),
            "application/json");
    }

    private static string Snake(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}

/// <summary>One stored error report.</summary>
internal sealed record ErrorItem(
    long Id, long RunId, ErrorCategory Category, string Code, string Message, string Suggestion, string? Path, DateTimeOffset Timestamp, int RetryCount, bool IsTransient);

/// <summary>A page of error reports.</summary>
internal sealed record ErrorPage(string Root, IReadOnlyList<ErrorItem> Items, long Total, int Page, int PageSize);
