var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

// Issue #4 grows this into the full API and web UI; until then the host only answers its liveness probe.
app.MapGet("/health/live", () => TypedResults.Ok(new { status = "live" })).WithName("HealthLive");

app.Run();
