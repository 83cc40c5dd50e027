using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>Orthanc stopped in the middle of a push and started again: the retries carry the push to completion.</summary>
public sealed class RestartTests
{
    [OrthancFact]
    public async Task PushSeries_OrthancStoppedMidRunAndRestarted_Completes()
    {
        await using var server = await OrthancServer.StartAsync();
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("R/ST/SE", 200);
        await nas.IndexAsync();
        await using var host = new BridgeHost(server, o => o.MaxConcurrency = 2);
        var tenSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SynchronousProgress(p =>
        {
            if (p.Uploaded >= 10)
            {
                tenSent.TrySetResult();
            }

            // Progress is reported on the sending worker: slowing it keeps the push running while Orthanc stops (3-4 s).
            Thread.Sleep(100);
        });

        var push = host.Bridge.PushSeriesAsync(nas.Origin, seriesUid, progress);
        await tenSent.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await server.StopAsync();
        Assert.False(push.IsCompleted, "The push ended before Orthanc was stopped: the test proves nothing.");
        await server.RestartAsync();
        var result = await push.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(PushOutcome.Completed, result.Outcome);
        Assert.Equal(200, result.OrthancInstances);
        Assert.Equal(200, await server.SeriesInstanceCountAsync(result.OrthancSeriesId!));
    }
}
