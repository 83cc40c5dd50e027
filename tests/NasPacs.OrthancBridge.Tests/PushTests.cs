using System.Globalization;
using NasPacs.Abstractions.Errors;
using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>Series pushes against a real Orthanc (issue #6): push, again, cancel and resume, a corrupt file, provenance.</summary>
public sealed class PushTests(SharedOrthanc orthanc) : IClassFixture<SharedOrthanc>
{
    [OrthancFact]
    public async Task PushSeries_NewSeries_OrthancHoldsEveryInstance()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P1/ST1/SE1", 20);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);

        var result = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        Assert.Equal(PushOutcome.Completed, result.Outcome);
        Assert.Equal(20, result.Uploaded);
        Assert.Equal(0, result.AlreadyPresent);
        Assert.Equal(20, result.OrthancInstances);
        Assert.NotNull(result.OrthancSeriesId);
        Assert.Equal(20, await orthanc.Server.SeriesInstanceCountAsync(result.OrthancSeriesId));
        Assert.True(result.MetadataWritten);
        Assert.False(result.Labelled); // Orthanc 1.10 has no labels, so none is attempted.
        Assert.Empty(result.Errors);
        Assert.Contains(host.Bridge.RecentPushes, r => r.SeriesKey == seriesUid && r.Outcome == PushOutcome.Completed);
    }

    [OrthancFact]
    public async Task PushSeries_Twice_SendsNothingAndAddsNoDuplicates()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P2/ST1/SE1", 12);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);
        var first = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);
        var totalAfterFirst = await orthanc.Server.TotalInstancesAsync();

        var second = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        Assert.Equal(PushOutcome.Completed, second.Outcome);
        Assert.Equal(0, second.Uploaded);
        Assert.Equal(12, second.AlreadyPresent);
        Assert.Equal(first.OrthancSeriesId, second.OrthancSeriesId);
        Assert.Equal(12, await orthanc.Server.SeriesInstanceCountAsync(second.OrthancSeriesId!));
        Assert.Equal(totalAfterFirst, await orthanc.Server.TotalInstancesAsync());
    }

    [OrthancFact]
    public async Task PushSeries_CancelledMidway_NextPushSendsOnlyTheRest()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P3/ST1/SE1", 60, payloadBytes: 64 * 1024);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server, o => o.MaxConcurrency = 1);
        using var cancel = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.Uploaded >= 10)
            {
                cancel.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.Bridge.PushSeriesAsync(nas.Origin, seriesUid, progress, cancel.Token));
        var cancelled = host.Bridge.RecentPushes[0];
        Assert.Equal(PushOutcome.Cancelled, cancelled.Outcome);
        var seriesId = OrthancIds.Series("NP-TEST", StudyOf(seriesUid), seriesUid);
        var stored = await orthanc.Server.SeriesInstanceCountAsync(seriesId);
        Assert.InRange(stored, 10, 59);

        var resumed = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        Assert.Equal(PushOutcome.Completed, resumed.Outcome);
        Assert.Equal(stored, resumed.AlreadyPresent);
        Assert.Equal(60 - stored, resumed.Uploaded);
        Assert.Equal(60, await orthanc.Server.SeriesInstanceCountAsync(seriesId));
    }

    [OrthancFact]
    public async Task PushSeries_CorruptFileAmongGood_RecordsItAndPushesTheRest()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P4/ST1/SE1", 8);
        await nas.IndexAsync();
        // Damaged after indexing, as a NAS file can be: same size, no longer DICOM.
        var corrupt = nas.Folder.Combine("P4/ST1/SE1/IM0003.dcm");
        var size = new FileInfo(corrupt).Length;
        await File.WriteAllBytesAsync(corrupt, Enumerable.Repeat((byte)0x5A, (int)size).ToArray());
        await using var host = new BridgeHost(orthanc.Server);

        var result = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        Assert.Equal(PushOutcome.CompletedWithErrors, result.Outcome);
        Assert.Equal(1, result.Failed);
        Assert.Equal(7, result.Uploaded);
        Assert.Equal(7, result.OrthancInstances);
        var error = Assert.Single(result.Errors);
        Assert.Equal(OrthancErrorCodes.InstanceRejected, error.Code);
        Assert.Equal(ErrorCategory.Dicom, error.Category);
        Assert.Equal("P4/ST1/SE1/IM0003.dcm", error.Path);
        Assert.False(string.IsNullOrWhiteSpace(error.Suggestion));
    }

    [OrthancFact]
    public async Task PushSeries_Provenance_ReadBackEqualsWhatWasSet()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P5/ST1/SE1", 5);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var result = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        var metadata = await orthanc.Server.SeriesMetadataAsync(result.OrthancSeriesId!);
        Assert.Equal($"testnas ({nas.Files.DisplayName})", metadata["NasSource"]);
        Assert.Equal("P5/ST1/SE1", metadata["NasPath"]);
        Assert.Equal(seriesUid, metadata["NasSeriesKey"]);
        Assert.Equal("5", metadata["NasFileCount"]);
        Assert.Equal(result.ManifestHash, metadata["NasManifestHash"]);
        Assert.Matches("^[0-9a-f]{64}$", metadata["NasManifestHash"]);
        var pushed = DateTimeOffset.Parse(metadata["NasPushTime"], CultureInfo.InvariantCulture);
        Assert.InRange(pushed, before, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [OrthancFact]
    public async Task PushSeries_DuplicateFilesOfOneInstance_CountsItOnce()
    {
        await using var nas = TestNas.Create();
        var seriesUid = nas.WriteSeries("P6/ST1/SE1", 4);
        File.Copy(nas.Folder.Combine("P6/ST1/SE1/IM0001.dcm"), nas.Folder.Combine("P6/copy/IM0001.dcm"));
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);

        var result = await host.Bridge.PushSeriesAsync(nas.Origin, seriesUid);

        Assert.Equal(PushOutcome.Completed, result.Outcome);
        Assert.Equal(5, result.NasFiles);
        Assert.Equal(4, result.NasInstances);
        Assert.Equal(4, result.OrthancInstances);
    }

    [OrthancFact]
    public async Task PushSeries_UnknownKey_ThrowsSeriesNotIndexed()
    {
        await using var nas = TestNas.Create();
        nas.WriteSeries("P7/ST1/SE1", 1);
        await nas.IndexAsync();
        await using var host = new BridgeHost(orthanc.Server);

        var ex = await Assert.ThrowsAsync<OrthancException>(() => host.Bridge.PushSeriesAsync(nas.Origin, "1.2.3.no.such.series"));

        Assert.Equal(OrthancErrorCodes.SeriesNotIndexed, ex.Code);
    }

    internal static string StudyOf(string seriesUid) => seriesUid[..^2] + ".1";
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; posts, too late to cancel precisely).</summary>
internal sealed class SynchronousProgress(Action<PushProgress> report) : IProgress<PushProgress>
{
    public void Report(PushProgress value) => report(value);
}
