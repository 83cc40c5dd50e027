using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

/// <summary>A temp tree, an index file beside it, and helpers to run the real indexer and look into the real SQLite file.</summary>
internal sealed class IndexFixture : IDisposable
{
    public const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private readonly TempFolder _folder = new("naspacs-index");

    public IndexFixture()
    {
        Root = Path.Combine(_folder.Path, "tree");
        Directory.CreateDirectory(Root);
        DatabasePath = Path.Combine(_folder.Path, "db", "index.db");
    }

    public string Root { get; }

    public string DatabasePath { get; }

    public string StatusPath => Path.ChangeExtension(DatabasePath, ".status.json");

    public string Combine(string relativePath) => _folder.Combine(Path.Combine("tree", relativePath));

    /// <summary>Copies a file of Debian's pydicom corpus into the tree.</summary>
    public void CopyPydicom(string name, string relativePath) => File.Copy(Path.Combine(PydicomFiles, name), Combine(relativePath), overwrite: true);

    public ServiceProvider Services(Action<IndexingOptions>? configure = null)
        => new ServiceCollection()
            .AddNasEnumeration()
            .AddNasIndexing(o =>
            {
                o.DatabasePath = DatabasePath;
                o.RetryDelay = TimeSpan.FromMilliseconds(1);
                configure?.Invoke(o);
            })
            .BuildServiceProvider();

    /// <summary>Runs the indexer once over the tree and returns the final status.</summary>
    public async Task<IndexStatus> IndexAsync(Action<IndexingOptions>? configure = null)
    {
        await using var services = Services(configure);
        await using var source = services.GetRequiredService<ILocalFileSourceFactory>().Create(Root);
        await using var run = await services.GetRequiredService<IIndexer>().StartAsync(source);
        return await run.Completion.WaitAsync(TimeSpan.FromMinutes(2));
    }

    public IIndexQuery Query() => new Query.IndexQuery(DatabasePath);

    public long Scalar(string sql) => SqliteProbe.Scalar(DatabasePath, sql);

    public List<string> Strings(string sql) => SqliteProbe.Strings(DatabasePath, sql);

    /// <summary>Generates a realistic tree with the benchmark's corpus generator (pydicom, real headers in four encodings).</summary>
    public static void Generate(string output, int patients, int studies, int series, int instances, int seed = 1)
    {
        Run("/usr/bin/python3", Path.Combine(Repository.Root, "benchmarks", "corpus", "make_corpus.py"),
            "--out", output, "--patients", $"{patients}", "--studies-per-patient", $"{studies}",
            "--series-per-study", $"{series}", "--instances-per-series", $"{instances}", "--seed", $"{seed}");
    }

    /// <summary>Runs a pydicom script (the reference for what a file holds) and returns what it printed, trimmed.</summary>
    public static string Python(string script, params string[] arguments) => Run("/usr/bin/python3", ["-c", script, .. arguments]);

    private static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Trim();
    }

    public void Dispose() => _folder.Dispose();
}
