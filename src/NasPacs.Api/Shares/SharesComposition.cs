namespace NasPacs.Api.Shares;

/// <summary>Composes NasPacs.Sharing into the server: share-link services, the /api/shares routes and the public /s/{token} routes.</summary>
internal static class SharesComposition
{
    public static IServiceCollection AddShares(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapShares(this IEndpointRouteBuilder app) => app;
}
