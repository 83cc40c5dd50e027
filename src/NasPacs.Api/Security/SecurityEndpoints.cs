using Microsoft.AspNetCore.Authorization;

namespace NasPacs.Api.Security;

/// <summary>Endpoint metadata: the access the route table gave this endpoint.</summary>
internal sealed record RouteAccess(Access Access);

/// <summary>Endpoint metadata: validate the antiforgery token even for an anonymous caller (the sign-in form).</summary>
internal sealed record AntiforgeryRequired;

/// <summary>Applies <see cref="RoutePolicies"/> to every endpoint mapped through the secured group.</summary>
internal static class SecurityEndpoints
{
    /// <summary>
    /// A root group for every route of the server. Its last convention looks each endpoint up in the route table and
    /// adds <see cref="AllowAnonymousAttribute"/> or <see cref="AuthorizeAttribute"/> with the role policy; an endpoint
    /// the table does not cover gets nothing, so the fallback policy denies it.
    /// </summary>
    public static RouteGroupBuilder MapSecured(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("");
        ((IEndpointConventionBuilder)group).Finally(Apply);
        return group;
    }

    private static void Apply(EndpointBuilder builder)
    {
        if (builder is not RouteEndpointBuilder route)
        {
            return;
        }

        var methods = builder.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods;
        var access = RoutePolicies.Resolve(methods, route.RoutePattern.RawText ?? "");
        if (access is not { } granted)
        {
            return;
        }

        builder.Metadata.Add(new RouteAccess(granted));
        builder.Metadata.Add(granted == Access.Anonymous ? new AllowAnonymousAttribute() : new AuthorizeAttribute(PolicyName(granted)));
    }

    public static string PolicyName(Access access) => access.ToString().ToLowerInvariant();
}
