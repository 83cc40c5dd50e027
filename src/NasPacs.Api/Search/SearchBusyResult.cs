using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace NasPacs.Api.Search;

/// <summary>
/// 503 Service Unavailable with <c>Retry-After</c> (whole seconds) and a ProblemDetails body: what clients and reverse
/// proxies expect from a server that is overloaded for a moment (RFC 9110 §15.6.4, §10.2.3). Declares the 503 in the
/// OpenAPI document of every route that can return it.
/// </summary>
internal sealed class SearchBusyResult(SearchBusyException busy) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    /// <summary>The ProblemDetails <c>type</c> and <c>code</c> of the answer.</summary>
    public const string Code = "search.busy";

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status503ServiceUnavailable;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var seconds = (long)Math.Ceiling(busy.RetryAfter.TotalSeconds);
        httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            busy.Message,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The server is busy.",
            type: "urn:naspacs:error:" + Code,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = Code,
                ["suggestion"] = $"Try again after {seconds} s. If this happens often, the server needs more cores, or an administrator can let searches wait longer ({SearchOptions.Section}:MaxWait, {SearchOptions.Section}:QueueLimit).",
                ["is_transient"] = true,
                ["retry_after_seconds"] = seconds,
            }).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), ["application/problem+json"]));
    }
}
