using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.OrthancBridge;

namespace NasPacs.Api.Orthanc;

/// <summary>Orthanc failures as ProblemDetails with the error class, code, suggestion and whether a retry may help.</summary>
internal static class OrthancProblems
{
    public static ProblemHttpResult From(OrthancException ex) => TypedResults.Problem(
        ex.Message,
        statusCode: ex.Code switch
        {
            OrthancErrorCodes.NotConfigured => StatusCodes.Status503ServiceUnavailable,
            OrthancErrorCodes.SeriesNotIndexed => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status502BadGateway,
        },
        title: ex.Code == OrthancErrorCodes.SeriesNotIndexed ? "Not found." : "Orthanc cannot be used.",
        type: "urn:naspacs:error:" + ex.Code,
        extensions: new Dictionary<string, object?>
        {
            ["category"] = ex.Category.ToString(),
            ["code"] = ex.Code,
            ["suggestion"] = ex.Suggestion,
            ["is_transient"] = ex.IsTransient,
        });

    public static ProblemHttpResult JobNotFound(string id)
        => TypedResults.Problem($"No push job '{id}' is kept (finished jobs are forgotten after NasPacs:Orthanc:HistorySize newer ones).", statusCode: StatusCodes.Status404NotFound, title: "Not found.");
}
