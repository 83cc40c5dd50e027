using System.Security.Claims;
using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Index;

namespace NasPacs.Api.Security;

/// <summary>
/// Where a root lives on the server (a folder path or an <c>smb://</c> URI) is for admins: viewers and operators see
/// the root's name only (#8, paths in responses relative to the NAS root).
/// </summary>
internal static class RootLocations
{
    public static bool MaySee(ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    public static StatusResponse ForCaller(StatusResponse response, ClaimsPrincipal user)
        => MaySee(user) ? response : response with { Roots = [.. response.Roots.Select(r => Hide(r))] };

    public static RootStatus ForCaller(RootStatus status, ClaimsPrincipal user) => MaySee(user) ? status : Hide(status);

    public static IndexStatus ForCaller(IndexStatus status, string rootName, ClaimsPrincipal user)
        => MaySee(user) ? status : status with { Root = rootName };

    public static Page<IndexRunInfo> ForCaller(Page<IndexRunInfo> runs, string rootName, ClaimsPrincipal user)
        => MaySee(user) ? runs : runs with { Items = [.. runs.Items.Select(r => r with { Root = rootName })] };

    private static RootStatus Hide(RootStatus status)
        => status with
        {
            Location = null,
            Status = status.Status is null ? null : status.Status with { Root = status.Name },
            Totals = status.Totals with { Root = status.Name },
        };
}
