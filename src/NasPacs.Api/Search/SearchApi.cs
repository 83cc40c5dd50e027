using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;
using NasPacs.Api.Roots;
using NasPacs.Indexing.Query;

namespace NasPacs.Api.Search;

/// <summary>Series search and series details.</summary>
internal static class SearchApi
{
    /// <summary>With several roots and no <c>root</c>, results are merged from the first this-many rows of each root.</summary>
    private const int MaxMergedRows = PageRequest.MaxLimit;

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Search");
        group.MapGet("/search", SearchAsync).WithName("SearchSeries").WithSummary("Finds series by text, modality and study date; paged and sorted.");

        // A catch-all, so that fallback keys with '/' (folder:…) work as well as UIDs with dots.
        group.MapGet("/series/{**key}", SeriesAsync).WithName("GetSeries").WithSummary("One series with a page of its files.");
        return group;
    }

    private static async Task<Results<Ok<SearchPage>, ValidationProblem, SearchBusyResult>> SearchAsync(
        RootCatalog catalog,
        SearchGate gate,
        string? q,
        string? modality,
        string? from,
        string? to,
        string? page,
        string? pageSize,
        string? sort,
        string? root,
        CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var paging = errors.Paging(page, pageSize);
        var fromDate = errors.Date(from, "from");
        var toDate = errors.Date(to, "to");
        var order = SeriesOrder.Parse(sort, errors);
        if (fromDate > toDate)
        {
            errors.Add("to", "to must not be before from.");
        }

        if (q?.Length > 200)
        {
            errors.Add("q", "q must be at most 200 characters.");
        }

        if (modality is { Length: > 16 })
        {
            errors.Add("modality", "modality must be at most 16 characters (for example CT).");
        }

        IReadOnlyCollection<NasRoot> roots = root is null ? catalog.All : [errors.Root(catalog, root)];
        if (roots.Count > 1 && (long)paging.Offset + paging.Limit > MaxMergedRows)
        {
            errors.Add("page", $"Across several roots only the first {MaxMergedRows:N0} results can be paged; name a root to page further.");
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        var search = new SeriesSearch
        {
            Text = q,
            Modality = string.IsNullOrWhiteSpace(modality) ? null : modality,
            From = fromDate,
            To = toDate,
            Sort = order.Sort,
            Descending = order.Descending,
        };

        // One turn at the gate for all roots: a search refused after its first root would have spent that work for nothing.
        try
        {
            return TypedResults.Ok(await gate.RunAsync(() => SearchRootsAsync(roots, search, paging, order, cancellationToken), cancellationToken).ConfigureAwait(false));
        }
        catch (SearchBusyException busy)
        {
            return new SearchBusyResult(busy);
        }
    }

    private static async Task<SearchPage> SearchRootsAsync(
        IReadOnlyCollection<NasRoot> roots, SeriesSearch search, (int Offset, int Limit) paging, SeriesOrder order, CancellationToken cancellationToken)
    {
        if (roots.Count == 1)
        {
            var only = roots.First();
            var result = await only.Query.SearchSeriesAsync(search with { Page = new PageRequest(paging.Offset, paging.Limit) }, cancellationToken).ConfigureAwait(false);
            return new SearchPage(
                result.Items.Select(s => SeriesRow.From(only.Name, s)).ToList(), Math.Min(result.Total, SearchLimits.CountLimit), Number(paging), paging.Limit, order.Text,
                SearchLimits.IsCapped(result.Total));
        }

        // Each root is sorted the same way; take the head of each and merge.
        var rows = new List<SeriesRow>();
        long total = 0;
        var capped = false;
        foreach (var r in roots)
        {
            var result = await r.Query.SearchSeriesAsync(search with { Page = new PageRequest(0, paging.Offset + paging.Limit) }, cancellationToken).ConfigureAwait(false);
            total += Math.Min(result.Total, SearchLimits.CountLimit);
            capped |= SearchLimits.IsCapped(result.Total);
            rows.AddRange(result.Items.Select(s => SeriesRow.From(r.Name, s)));
        }

        var merged = order.Apply(rows).Skip(paging.Offset).Take(paging.Limit).ToList();
        return new SearchPage(merged, total, Number(paging), paging.Limit, order.Text, capped);
    }

    private static async Task<Results<Ok<SeriesDetails>, ValidationProblem, ProblemHttpResult, SearchBusyResult>> SeriesAsync(
        RootCatalog catalog, SearchGate gate, string key, string? root, string? page, string? pageSize, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var paging = errors.Paging(page, pageSize, 100);
        IReadOnlyCollection<NasRoot> roots = root is null ? catalog.All : [errors.Root(catalog, root)];
        if (string.IsNullOrWhiteSpace(key) || key.Length > 1024)
        {
            errors.Add("key", "key must be a series key of 1 to 1,024 characters.");
        }

        if (errors.Any)
        {
            return errors.Problem();
        }

        // Reading a series and a page of its files is index work like a search: it waits its turn at the same gate.
        try
        {
            return await gate.RunAsync(() => FindSeriesAsync(roots, key, paging, cancellationToken), cancellationToken).ConfigureAwait(false) is { } found
                ? TypedResults.Ok(found)
                : Problems.NotFound($"No series with key '{key}' is in the index.");
        }
        catch (SearchBusyException busy)
        {
            return new SearchBusyResult(busy);
        }
    }

    private static async Task<SeriesDetails?> FindSeriesAsync(
        IReadOnlyCollection<NasRoot> roots, string key, (int Offset, int Limit) paging, CancellationToken cancellationToken)
    {
        foreach (var r in roots)
        {
            var series = await r.Query.GetSeriesAsync(key, cancellationToken).ConfigureAwait(false);
            if (series is not null)
            {
                var files = await r.Query.GetSeriesFilesAsync(key, new PageRequest(paging.Offset, paging.Limit), cancellationToken).ConfigureAwait(false);
                return new SeriesDetails(r.Name, series, new FilePage(files.Items, files.Total, Number(paging), paging.Limit));
            }
        }

        return null;
    }

    private static int Number((int Offset, int Limit) paging) => (paging.Offset / paging.Limit) + 1;
}
