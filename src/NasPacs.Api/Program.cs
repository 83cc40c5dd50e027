using System.Text.Json;
using System.Text.Json.Serialization;
using NasPacs.Api.Health;
using NasPacs.Api.Hosting;
using NasPacs.Api.Index;
using NasPacs.Api.Nas;
using NasPacs.Api.Orthanc;
using NasPacs.Api.Roots;
using NasPacs.Api.Search;
using NasPacs.Api.Security;
using NasPacs.Api.Shares;

// A wrong setting stops the start with the problem named, exit code 2 and no stack trace.
StartupCheck.ExplainWrongSettings();
var builder = WebApplication.CreateBuilder(args);
builder.AddSecrets();
if (Secrets.TryRunCommand(builder, args))
{
    return;
}

builder.Services.AddHostedService<StaleFileCleanup>();
builder.Services.AddNasRoots();
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

var app = builder.Build();
StartupCheck.ThrowIfInvalid(app);

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

app.Run();
