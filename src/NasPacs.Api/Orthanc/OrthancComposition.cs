namespace NasPacs.Api.Orthanc;

/// <summary>Composes NasPacs.OrthancBridge into the server: the Orthanc client, push jobs and the /api/orthanc routes.</summary>
internal static class OrthancComposition
{
    public static IServiceCollection AddOrthanc(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapOrthanc(this IEndpointRouteBuilder app) => app;
}
