using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using NasPacs.Enumeration;
using NasPacs.Indexing;
using NasPacs.Testing;
using NasPacs.Testing.Dicom;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>A generated NAS folder, indexed by the real indexer into a real SQLite file: what the bridge pushes from.</summary>
internal sealed class TestNas : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestNas(TempFolder folder, ServiceProvider services, IFileSource files)
    {
        Folder = folder;
        _services = services;
        Files = files;
        Origin = new SeriesOrigin("testnas", files, services.GetRequiredService<IIndexQuery>());
    }

    public TempFolder Folder { get; }

    public IFileSource Files { get; }

    public SeriesOrigin Origin { get; }

    public IIndexQuery Index => Origin.Index;

    /// <summary>A folder; call <see cref="WriteSeries"/> then <see cref="IndexAsync"/>.</summary>
    public static TestNas Create()
    {
        var folder = new TempFolder("naspacs-orthanc-nas");
        var data = new TempFolder("naspacs-orthanc-index");
        var services = new ServiceCollection()
            .AddNasEnumeration()
            .AddNasIndexing(o =>
            {
                o.DatabasePath = Path.Combine(data.Path, "index.db");
                o.StatusFilePath = Path.Combine(data.Path, "index.status.json");
            })
            .AddSingleton(data)
            .BuildServiceProvider();
        var files = services.GetRequiredService<ILocalFileSourceFactory>().Create(folder.Path);
        return new TestNas(folder, services, files);
    }

    /// <summary>Writes a series of <paramref name="count"/> small CT files below <paramref name="folder"/>; returns its Series Instance UID.</summary>
    public string WriteSeries(string folder, int count, string? patientId = "NP-TEST", int payloadBytes = 4096)
    {
        var root = "1.2.826.0.1.3680043.10.1134." + Random.Shared.NextInt64(1, long.MaxValue);
        var study = root + ".1";
        var series = root + ".2";
        for (var i = 1; i <= count; i++)
        {
            File.WriteAllBytes(Folder.Combine($"{folder}/IM{i:D4}.dcm"), Instance(patientId, study, series, $"{root}.3.{i}", i, payloadBytes));
        }

        return series;
    }

    /// <summary>One small CT instance: the tags Orthanc needs, and a private payload to give it some size.</summary>
    public static byte[] Instance(string? patientId, string study, string series, string sop, int number, int payloadBytes = 4096)
    {
        var builder = new DicomFileBuilder()
            .AddString(new DicomTag(0x0008, 0x0016), "UI", "1.2.840.10008.5.1.4.1.1.2")
            .AddString(new DicomTag(0x0008, 0x0018), "UI", sop)
            .AddString(new DicomTag(0x0008, 0x0060), "CS", "CT")
            .AddString(new DicomTag(0x0010, 0x0010), "PN", "TEST^ORTHANC");
        if (patientId is not null)
        {
            builder.AddString(new DicomTag(0x0010, 0x0020), "LO", patientId);
        }

        builder
            .AddString(new DicomTag(0x0020, 0x000D), "UI", study)
            .AddString(new DicomTag(0x0020, 0x000E), "UI", series)
            .AddString(new DicomTag(0x0020, 0x0011), "IS", "1")
            .AddString(new DicomTag(0x0020, 0x0013), "IS", number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add(new DicomTag(0x0029, 0x1010), "OB", new byte[payloadBytes]);
        return builder.Build();
    }

    /// <summary>Runs the real indexer over the folder to completion.</summary>
    public async Task IndexAsync()
    {
        var run = await _services.GetRequiredService<IIndexer>().StartAsync(Files);
        await using (run)
        {
            var status = await run.Completion;
            Assert.Equal(IndexState.Completed, status.Phase);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Files.DisposeAsync();
        var data = _services.GetRequiredService<TempFolder>();
        await _services.DisposeAsync();
        data.Dispose();
        Folder.Dispose();
    }
}
