namespace NasPacs.Api.Security;

/// <summary>Which HTTP methods a rule covers.</summary>
internal enum Methods
{
    /// <summary>GET and HEAD: reads.</summary>
    Read,

    /// <summary>POST, PUT, PATCH and DELETE: state changes (audited when signed in).</summary>
    Write,

    /// <summary>Every method.</summary>
    Any,
}

/// <summary>One row of the route table: methods and a route-pattern prefix (whole segments) and who may call them.</summary>
internal sealed record RouteRule(Methods Methods, string Prefix, Access Access)
{
    public bool Matches(string method, string pattern)
        => Covers(method)
           && pattern.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
           && (pattern.Length == Prefix.Length || pattern[Prefix.Length] == '/');

    private bool Covers(string method) => Methods switch
    {
        Methods.Read => RoutePolicies.IsRead(method),
        Methods.Write => !RoutePolicies.IsRead(method),
        _ => true,
    };
}

/// <summary>
/// The one place that says who may call each route, the share (#5) and Orthanc (#6) routes included. Every endpoint gets
/// its policy from here (<see cref="SecurityEndpoints"/>); an endpoint that no row matches gets none, so the fallback
/// policy denies it and the route-table test fails. The first matching row wins: specific rows come first.
/// </summary>
internal static class RoutePolicies
{
    public static IReadOnlyList<RouteRule> Table { get; } =
    [
        // Signing in and out, the session (for the login page's antiforgery token), personal API tokens.
        new(Methods.Any, "/api/auth/login", Access.Anonymous),
        new(Methods.Read, "/api/auth/session", Access.Anonymous),
        new(Methods.Read, "/api/auth/oidc/signin", Access.Anonymous),
        new(Methods.Any, "/api/auth", Access.Viewer),

        // Administration.
        new(Methods.Any, "/api/users", Access.Admin),
        new(Methods.Any, "/api/audit", Access.Admin),
        new(Methods.Any, "/api/settings", Access.Admin),
        new(Methods.Any, "/api/orthanc/settings", Access.Admin),
        new(Methods.Any, "/api/shares/settings", Access.Admin),

        // Indexing: anyone signed in watches; operators start, pause, resume and cancel.
        new(Methods.Read, "/api/index", Access.Viewer),
        new(Methods.Write, "/api/index", Access.Operator),

        // Search and view.
        new(Methods.Read, "/api/search", Access.Viewer),
        new(Methods.Read, "/api/series", Access.Viewer),

        // A connection test reads from the NAS on demand: operators only.
        new(Methods.Any, "/api/nas", Access.Operator),

        // Share links (#5): list for viewers; create and revoke for operators.
        new(Methods.Read, "/api/shares", Access.Viewer),
        new(Methods.Write, "/api/shares", Access.Operator),

        // The Orthanc bridge (#6): state for viewers; push for operators.
        new(Methods.Read, "/api/orthanc", Access.Viewer),
        new(Methods.Write, "/api/orthanc", Access.Operator),

        // Public share landing, password and download pages: the token is the credential (#5 limits their rate).
        new(Methods.Any, "/s", Access.Anonymous),

        // Liveness and readiness for load balancers and orchestrators, which call without credentials: the answer is the
        // status only; the checks (root names, index errors) are added for a signed-in admin (Health/HealthApi.cs).
        // (A health check answers any method and changes nothing.)
        new(Methods.Any, "/health/live", Access.Anonymous),
        new(Methods.Any, "/health/ready", Access.Anonymous),

        // The API description.
        new(Methods.Read, "/openapi", Access.Viewer),
    ];

    /// <summary>The methods a route without method metadata answers (health checks): one read and one write.</summary>
    private static readonly string[] AnyMethod = ["GET", "POST"];

    public static bool IsRead(string method)
        => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>The rule for one method and route pattern, or <see langword="null"/> when none matches.</summary>
    public static RouteRule? Find(string method, string pattern)
    {
        foreach (var rule in Table)
        {
            if (rule.Matches(method, pattern))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// The access of an endpoint that answers <paramref name="methods"/> (every method when empty): the strictest of its
    /// methods' rules, or <see langword="null"/> when any of its methods has no rule.
    /// </summary>
    public static Access? Resolve(IReadOnlyList<string>? methods, string pattern)
    {
        Access? strictest = null;
        foreach (var method in methods is { Count: > 0 } ? methods : AnyMethod)
        {
            var rule = Find(method, pattern);
            if (rule is null)
            {
                return null;
            }

            strictest = strictest is null || rule.Access > strictest ? rule.Access : strictest;
        }

        return strictest;
    }
}
