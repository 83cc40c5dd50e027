using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using NasPacs.Api.Health;
using NasPacs.Api.Hosting;
using NasPacs.Api.Index;
using NasPacs.Api.Nas;
using NasPacs.Api.Orthanc;
using NasPacs.Api.Roots;
using NasPacs.Api.Search;
using NasPacs.Api.Security;
using NasPacs.Api.Shares;

// A wrong setting stops the start with one line per problem naming it and exit code 2, no stack trace (StartupCheck).
try
{
    var app = Compose(args);
    if (app is not null)
    {
        StartupCheck.ThrowIfInvalid(app);
        UsePipeline(app);
        app.Run();
    }
}
catch (OptionsValidationException ex) when (!StartupCheck.InTestHost)
{
    StartupCheck.Explain(ex, Console.Error);
}

// The host and its services; null when a command (protect-secret) ran instead of the server.
static WebApplication? Compose(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddSecrets();
    if (Secrets.TryRunCommand(builder, args))
    {
        return null;
    }

    builder.Services.AddHostedService<StaleFileCleanup>();
    builder.Services.AddNasRoots();
    builder.Services.AddSearch();
    builder.Services.AddNasPacsSecurity(builder.Configuration);
    builder.Services.AddNasPacsHealthChecks();
    builder.Services.AddShares();
    builder.Services.AddOrthanc();
    builder.Services.AddProblemDetails();
    builder.Services.AddOpenApi();
    builder.Services.ConfigureHttpJsonOptions(json =>
    {
        // The design's snake_case field names (enumerated_files, files_processed, …), enums as text.
        json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    });

    return builder.Build();
}

// The middleware and the routes.
static void UsePipeline(WebApplication app)
{

    app.UseReverseProxy();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseTransportSecurity();
    app.UseSecurityHeaders();
    app.UseSignInPage();
    app.UseDefaultFiles();
    app.UseStaticFiles();
    app.UseRouting();
    app.UseAuthentication();
    app.UseRateLimiter();
    app.UseAuditTrail();
    app.UseAuthorization();
    app.UseAntiforgery();
    app.UseCsrfCheck();

    // Every route goes through the secured group: its policy comes from Security/RoutePolicies.cs.
    var routes = app.MapSecured();
    routes.MapOpenApi();
    routes.MapHealthApi();
    routes.MapAuthApi();
    routes.MapUsersApi();
    routes.MapIndexApi();
    routes.MapSearchApi();
    routes.MapNasApi();
    routes.MapShares();
    routes.MapOrthanc();
}
