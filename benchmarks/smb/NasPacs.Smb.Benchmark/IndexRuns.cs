using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using NasPacs.Indexing;
using NasPacs.Smb;

namespace NasPacs.Smb.Benchmark;

/// <summary>
/// The indexer of issue #3 over NasPacs.Smb (SMB_BENCH_INDEX_SHARE names a share of DICOM files): a first index into a
/// fresh database, then a re-index of the unchanged share, each with a new connection, as two runs of the product would.
/// A re-index lists the share (each entry carries its size and time) and opens no file; a first index reads every header.
/// </summary>
internal static class IndexRuns
{
    /// <summary>Runs both, then the bare listing (the re-index's floor); returns (first, again, listing).</summary>
    public static async Task<(Result First, Result Again, TimeSpan Listing)> RunAsync(SmbOptions share, int workers, int enumerationParallelism)
    {
        var folder = Directory.CreateTempSubdirectory("naspacs-smb-index");
        try
        {
            var database = Path.Combine(folder.FullName, "index.db");
            var first = await OnceAsync(share, database, workers, enumerationParallelism);
            var again = await OnceAsync(share, database, workers, enumerationParallelism);
            return (first, again, await ListAsync(share, enumerationParallelism));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<Result> OnceAsync(SmbOptions share, string database, int workers, int enumerationParallelism)
    {
        // The candidate filter comes from Enumeration, as in the product; the files come from the SMB source.
        await using var services = new ServiceCollection()
            .AddNasEnumeration()
            .AddNasIndexing(o =>
            {
                o.DatabasePath = database;
                o.MaxWorkers = workers;
                o.EnumerationParallelism = enumerationParallelism;
            })
            .BuildServiceProvider();

        // Timed from the connection on: a run of the product connects too.
        var watch = Stopwatch.StartNew();
        await using var source = new SmbFileSourceFactory().Create(share);
        await using var run = await services.GetRequiredService<IIndexer>().StartAsync(source);
        var status = await run.Completion;
        watch.Stop();
        if (status.Phase != IndexState.Completed)
        {
            throw new InvalidOperationException($"The index run ended {status.Phase}: {status.FailureMessage}");
        }

        return new Result(watch.Elapsed, status);
    }

    /// <summary>A new connection and one listing of the whole share, nothing else: what a re-index cannot go below.</summary>
    private static async Task<TimeSpan> ListAsync(SmbOptions share, int enumerationParallelism)
    {
        var watch = Stopwatch.StartNew();
        await using var source = new SmbFileSourceFactory().Create(share);
        await foreach (var _ in source.EnumerateAsync(new FileEnumerationOptions { MaxParallelism = enumerationParallelism }))
        {
        }

        return watch.Elapsed;
    }

    public sealed record Result(TimeSpan Elapsed, IndexStatus Status);
}
