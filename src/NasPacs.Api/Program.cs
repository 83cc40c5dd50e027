using System.Text.Json;
using System.Text.Json.Serialization;
using NasPacs.Api.Health;
using NasPacs.Api.Index;
using NasPacs.Api.Nas;
using NasPacs.Api.Orthanc;
using NasPacs.Api.Roots;
using NasPacs.Api.Search;
using NasPacs.Api.Shares;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddNasRoots();
builder.Services.AddNasPacsHealthChecks();
builder.Services.AddShares();
builder.Services.AddOrthanc();
builder.Services.AddRateLimiter(_ => { });
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    // The design's snake_case field names (enumerated_files, files_processed, …), enums as text.
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseRateLimiter();

app.MapOpenApi();
app.MapHealthApi();
app.MapIndexApi();
app.MapSearchApi();
app.MapNasApi();
app.MapShares();
app.MapOrthanc();

app.Run();
