using Microsoft.AspNetCore.Http.HttpResults;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Hosting;

/// <summary>The ProblemDetails responses the routes share.</summary>
internal static class Problems
{
    public static ProblemHttpResult Conflict(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the root's current state.");

    public static ProblemHttpResult NotFound(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    /// <summary>A root that cannot be reached or indexed: 422 with the error class, code and a suggestion.</summary>
    public static ProblemHttpResult Root(NasRoot root, RootProblem problem)
        => TypedResults.Problem(
            problem.Message,
            statusCode: problem.Code == "index.busy" ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity,
            title: $"Root '{root.Name}' cannot be indexed.",
            type: "urn:naspacs:error:" + problem.Code,
            extensions: new Dictionary<string, object?>
            {
                ["root"] = root.Name,
                ["category"] = problem.Category.ToString(),
                ["code"] = problem.Code,
                ["suggestion"] = problem.Suggestion,
                ["is_transient"] = problem.IsTransient,
            });
}
