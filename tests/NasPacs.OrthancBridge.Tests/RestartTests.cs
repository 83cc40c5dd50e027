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
        // One CI run saw the push end ~3 s in (it normally takes ~15 s): say how it ended, so that the next one explains itself.
        Assert.False(push.IsCompleted, $"The push ended before Orthanc was stopped: the test proves nothing. It ended {Ended(push)}.");
        await server.RestartAsync();
        var result = await push.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(PushOutcome.Completed, result.Outcome);
        Assert.Equal(200, result.OrthancInstances);
        Assert.Equal(200, await server.SeriesInstanceCountAsync(result.OrthancSeriesId!));
    }

    private static string Ended(Task<SeriesPushResult> push) => push.Status switch
    {
        TaskStatus.RanToCompletion => $"{push.Result.Outcome} after {push.Result.Uploaded} uploads: " +
            string.Join("; ", push.Result.Errors.Select(e => $"{e.Code} {e.Message}")),
        TaskStatus.Faulted => $"with {push.Exception!.InnerException}",
        _ => push.Status.ToString(),
    };
}
