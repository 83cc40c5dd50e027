using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Api.Security;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: every route carries an explicit policy, and each role gets exactly what the table grants.</summary>
public sealed class RouteTableTests : IClassFixture<RouteTableTests.Server>
{
    private readonly Server _server;

    public RouteTableTests(Server server) => _server = server;

    public sealed class Server : IDisposable
    {
        public ApiFactory Factory { get; } = new(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });

        public void Dispose() => Factory.Dispose();
    }

    [Fact]
    public void Endpoints_EveryRoute_HasAnExplicitPolicyOrIsExplicitlyAnonymous()
    {
        var endpoints = RouteEndpoints();
        var unprotected = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                        && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is "viewer" or "operator" or "admin"))
            .Select(Describe)
            .ToList();

        Assert.True(endpoints.Count >= 20, $"Expected the server's routes, found {endpoints.Count}.");
        Assert.True(unprotected.Count == 0, "Routes without a policy in Security/RoutePolicies.cs: " + string.Join("; ", unprotected));
    }

    [Theory]
    [InlineData("GET", "/api/search", "viewer")]
    [InlineData("GET", "/api/series/{**key}", "viewer")]
    [InlineData("GET", "/api/index/status", "viewer")]
    [InlineData("POST", "/api/index/start", "operator")]
    [InlineData("POST", "/api/index/cancel", "operator")]
    [InlineData("POST", "/api/index/pause", "operator")]
    [InlineData("POST", "/api/index/resume", "operator")]
    [InlineData("GET", "/api/nas/test", "operator")]
    [InlineData("GET", "/api/users", "admin")]
    [InlineData("POST", "/api/users", "admin")]
    [InlineData("GET", "/api/audit", "admin")]
    [InlineData("GET", "/api/shares", "viewer")]
    [InlineData("GET", "/api/shares/{id}", "viewer")]
    [InlineData("POST", "/api/shares", "operator")]
    [InlineData("DELETE", "/api/shares/{id}", "operator")]
    [InlineData("POST", "/api/shares/{id}/revoke", "operator")]
    [InlineData("GET", "/api/orthanc/status", "viewer")]
    [InlineData("POST", "/api/orthanc/push", "operator")]
    [InlineData("GET", "/api/orthanc/settings", "admin")]
    [InlineData("PUT", "/api/orthanc/settings", "admin")]
    [InlineData("PUT", "/api/settings", "admin")]
    [InlineData("GET", "/s/{token}", "anonymous")]
    [InlineData("POST", "/s/{token}", "anonymous")]
    [InlineData("GET", "/s/{token}/download", "anonymous")]
    [InlineData("GET", "/health/live", "anonymous")]
    [InlineData("GET", "/health/ready", "anonymous")]
    [InlineData("POST", "/api/auth/login", "anonymous")]
    [InlineData("POST", "/api/auth/tokens", "viewer")]
    public void Find_IssueRoutes_GiveTheIssuesRole(string method, string pattern, string expected)
    {
        var rule = RoutePolicies.Find(method, pattern);

        Assert.NotNull(rule);
        Assert.Equal(expected, rule.Access.ToString().ToLowerInvariant());
    }

    [Theory]
    [InlineData("GET", "/api/unknown")]
    [InlineData("GET", "/api/searchable")]
    [InlineData("POST", "/api/search")]
    [InlineData("GET", "/sx/token")]
    [InlineData("GET", "/healthy")]
    public void Find_RouteOutsideTheTable_HasNoRule(string method, string pattern)
        => Assert.Null(RoutePolicies.Find(method, pattern));

    /// <summary>
    /// Calls every route of the real server as each role and without credentials: a route is refused (401 without
    /// credentials, 403 with too small a role) exactly when the table says so, and otherwise reaches its handler.
    /// </summary>
    [Theory]
    [InlineData("anonymous")]
    [InlineData("viewer")]
    [InlineData("operator")]
    [InlineData("admin")]
    public async Task Endpoints_EachRole_AllowedAndDeniedAsTheTableSays(string role)
    {
        using var client = role == "anonymous" ? _server.Factory.CreateAnonymousClient() : _server.Factory.CreateClient(role);
        var rank = Array.IndexOf(["anonymous", "viewer", "operator", "admin"], role);
        var failures = new List<string>();
        var calls = 0;
        foreach (var endpoint in RouteEndpoints())
        {
            var access = endpoint.Metadata.GetMetadata<RouteAccess>()!.Access;
            var pattern = endpoint.RoutePattern.RawText!;
            if (pattern is "/api/auth/logout")
            {
                continue; // Would end nothing for a token, but is covered by the sign-out test.
            }

            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var url = Concrete(pattern);
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                calls++;
                var allowed = rank >= (int)access;
                var status = response.StatusCode;
                var ok = allowed
                    ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    : status == (role == "anonymous" ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden);
                if (!ok)
                {
                    failures.Add($"{method} {url} ({access}) as {role}: {(int)status}");
                }
            }
        }

        Assert.True(calls >= 20, $"Only {calls} calls were made.");
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }

    private List<RouteEndpoint> RouteEndpoints()
        => _server.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static string Describe(RouteEndpoint e)
        => $"{string.Join(",", e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}";

    /// <summary>A callable URL for a pattern: parameters get a harmless value (an id that does not exist).</summary>
    private static string Concrete(string pattern)
        => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{\**(\w+)[^}]*\}", m => m.Groups[1].Value is "id" ? "999999" : "x")
           + (pattern.StartsWith("/api/index", StringComparison.Ordinal) || pattern.StartsWith("/api/nas", StringComparison.Ordinal) ? "?root=sample" : "");
}
