using NasPacs.OrthancBridge;

namespace NasPacs.Api.Orthanc;

/// <summary>Composes NasPacs.OrthancBridge into the server: the Orthanc client, push jobs and the /api/orthanc routes.</summary>
internal static class OrthancComposition
{
    /// <summary>Binds <c>NasPacs:Orthanc</c> (validated at start); without a <c>Url</c> the bridge is off and the routes say how to set it.</summary>
    public static IServiceCollection AddOrthanc(this IServiceCollection services) => services.AddOrthancBridge();

    public static IEndpointRouteBuilder MapOrthanc(this IEndpointRouteBuilder app)
    {
        app.MapOrthancApi();
        return app;
    }
}
