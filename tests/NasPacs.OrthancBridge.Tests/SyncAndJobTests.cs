using NasPacs.Abstractions.Indexing;
using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>Sync state from predicted IDs, and background push jobs with pause, resume and cancel.</summary>
public sealed class SyncAndJobTests(SharedOrthanc orthanc) : IClassFixture<SharedOrthanc>
{
    [OrthancFact]
    public async Task GetSyncState_BeforePartialAfterAndChanged_AbsentPartialCompleteDrifted()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("S/ST/SE", 6);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);

        var absent = await host.Bridge.GetSyncStateAsync(nas.Index, seriesUid);
        // Two instances sent by hand: Orthanc holds part of the series.
        using (var client = orthanc.Server.CreateClient())
        {
            foreach (var name in new[] { "IM0001.dcm", "IM0002.dcm" })
            {
                using var content = new ByteArrayContent(await File.ReadAllBytesAsync(nas.Folder.Combine("S/ST/SE/" + name)));
                (await client.PostAsync("instances", content)).EnsureSuccessStatusCode();
            }
        }

        var partial = await host.Bridge.GetSyncStateAsync(nas.Index, seriesUid);
        await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);
        var complete = await host.Bridge.GetSyncStateAsync(nas.Index, seriesUid);
        File.SetLastWriteTimeUtc(nas.Folder.Combine("S/ST/SE/IM0004.dcm"), DateTime.UtcNow.AddMinutes(5));
        await nas.IndexAsync();
        var drifted = await host.Bridge.GetSyncStateAsync(nas.Index, seriesUid);

        Assert.Equal(SyncState.Absent, absent.State);
        Assert.Equal(SyncState.Partial, partial.State);
        Assert.Equal(2, partial.PresentInOrthanc);
        Assert.Equal(SyncState.Complete, complete.State);
        Assert.Equal(6, complete.PresentInOrthanc);
        Assert.Equal(complete.ManifestHash, complete.RecordedManifestHash);
        Assert.Equal(SyncState.Drifted, drifted.State);
        Assert.NotEqual(drifted.ManifestHash, drifted.RecordedManifestHash);
        Assert.All(new[] { absent, partial, complete, drifted }, s => Assert.Equal(absent.OrthancSeriesId, s.OrthancSeriesId));
    }

    [OrthancFact]
    public async Task StartJob_Search_PushesEveryMatchingSeries()
    {
        await using var nas = TestNas.Create();
        var keys = new[] { nas.WriteSeries("J/A", 3), nas.WriteSeries("J/B", 4), nas.WriteSeries("J/C", 5) };
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);

        var job = host.Bridge.StartJob(new PushJobRequest { Sources = [new PushJobSource(nas.Origin, Search: new SeriesSearch())], Description = "all" });
        var final = await job.Completion.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(PushJobState.Completed, final.State);
        Assert.Equal(3, final.SeriesTotal);
        Assert.Equal(3, final.SeriesDone);
        Assert.Equal(12, final.FilesTotal);
        Assert.Equal(12, final.Uploaded);
        Assert.Equal(12, final.InstancesDone);
        Assert.Equal(keys.Order(), final.Results.Select(r => r.SeriesKey).Order());
        Assert.Same(job, host.Bridge.FindJob(job.Id));
    }

    [OrthancFact]
    public async Task Job_PausedResumedAndCancelled_StopsSendingAndEndsCancelled()
    {
        await using var nas = TestNas.Create();
        var first = nas.WriteSeries("K/A", 40, payloadBytes: 64 * 1024);
        var second = nas.WriteSeries("K/B", 40, payloadBytes: 64 * 1024);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server, o => o.MaxConcurrency = 1);
        var job = host.Bridge.StartJob(new PushJobRequest { Sources = [new PushJobSource(nas.Origin, SeriesKeys: [first, second])] });
        await WaitUntilAsync(() => job.Status.Uploaded >= 5);

        job.Pause();
        await Task.Delay(500); // a file in flight may still finish
        var paused = job.Status;
        await Task.Delay(1000);
        var stillPaused = job.Status;
        job.Resume();
        await WaitUntilAsync(() => job.Status.Uploaded > stillPaused.Uploaded);
        job.Cancel();
        var final = await job.Completion.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(PushJobState.Paused, paused.State);
        Assert.Equal(paused.Uploaded, stillPaused.Uploaded);
        Assert.Equal(PushJobState.Cancelled, final.State);
        Assert.True(final.Uploaded < 80, $"All {final.Uploaded} were sent despite the cancel.");
        Assert.Equal(PushOutcome.Cancelled, final.Results[^1].Outcome);
        Assert.NotNull(final.EndedAt);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(20);
        }
    }
}
