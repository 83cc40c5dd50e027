using System.Globalization;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Tests;

/// <summary>NasPacs:ReindexAt: every root re-indexed at times of day, in the server's local time.</summary>
public sealed class ScheduledIndexingTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData("2026-12-08T01:00:00Z", "02:00", "2026-12-08T02:00:00Z")] // later today
    [InlineData("2026-12-08T02:00:00Z", "02:00", "2026-12-09T02:00:00Z")] // the time itself is past: tomorrow
    [InlineData("2026-12-08T03:00:00Z", "02:00", "2026-12-09T02:00:00Z")]
    [InlineData("2026-12-08T12:00:00Z", "22:00,02:00", "2026-12-08T22:00:00Z")] // the first after now, in any order
    [InlineData("2026-12-08T23:30:00Z", "22:00,02:00", "2026-12-09T02:00:00Z")]
    public void NextRun_Utc_FirstTimeAfterNow(string now, string times, string expected)
    {
        var next = ScheduledIndexing.NextRun(Parse(now), Times(times), TimeZoneInfo.Utc);

        Assert.Equal(Parse(expected), next);
    }

    [Theory]
    [InlineData("2026-12-08T00:30:00Z", "02:00", "2026-12-08T01:00:00Z")] // 01:30 in Berlin (UTC+1): 02:00 is half an hour away
    [InlineData("2026-12-07T23:30:00Z", "02:00", "2026-12-08T01:00:00Z")] // already the 8th in Berlin
    [InlineData("2026-03-29T00:00:00Z", "02:30", "2026-03-29T01:30:00Z")] // summer time skips 02:30: run at 03:30 CEST
    [InlineData("2026-10-25T00:00:00Z", "02:30", "2026-10-25T01:30:00Z")] // 02:30 happens twice: once, at the second (CET)
    [InlineData("2026-10-25T01:30:00Z", "02:30", "2026-10-26T01:30:00Z")] // and not again that day
    public void NextRun_Berlin_WallClockTimeInThatZone(string now, string times, string expected)
    {
        var next = ScheduledIndexing.NextRun(Parse(now), Times(times), Berlin);

        Assert.Equal(Parse(expected), next);
    }

    [Fact]
    public async Task ReindexAt_ATimeOfDayComes_EveryRootIsIndexed()
    {
        // Three seconds from now on the server's clock, to the second. Nothing else starts a run: without the schedule
        // the root would stay idle and the wait below time out.
        var scheduled = DateTimeOffset.UtcNow.AddSeconds(3);
        var at = TimeZoneInfo.ConvertTime(scheduled, TimeZoneInfo.Local).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        using var factory = new ApiFactory(new()
        {
            ["NasPacs:IndexEmptyRootsOnStart"] = "false",
            ["NasPacs:ReindexAt:0"] = at,
        });
        using var client = factory.CreateClient();

        var root = await client.WaitForPhaseAsync("sample", "completed");

        Assert.Equal(49, root.GetProperty("status").GetProperty("files_processed").GetInt64());
        var started = root.GetProperty("status").GetProperty("started_at").GetDateTimeOffset();
        Assert.True(started >= scheduled.AddSeconds(-1), $"The run started at {started:O}, before the time of day {at}.");
        var runs = await client.JsonAsync("/api/index/runs?root=sample");
        Assert.Equal(1, runs.GetProperty("total").GetInt64());

        // The dashboard shows the next one: the same time of day, tomorrow.
        var next = (await client.JsonAsync("/api/index/status")).GetProperty("next_reindex").GetDateTimeOffset();
        Assert.InRange(next - scheduled, TimeSpan.FromHours(23), TimeSpan.FromHours(25));
    }

    [Fact]
    public async Task Status_NoSchedule_NextReindexIsNull()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient();

        var status = await client.JsonAsync("/api/index/status");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, status.GetProperty("next_reindex").ValueKind);
    }

    private static DateTimeOffset Parse(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static TimeOnly[] Times(string list) => [.. list.Split(',').Select(t => TimeOnly.Parse(t, CultureInfo.InvariantCulture))];
}
