using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Enumeration;
using NasPacs.Indexing;
using Spectre.Console;

namespace NasPacs.Cli;

/// <summary>Composes enumeration and indexing for the commands that use an index file.</summary>
internal static class IndexServices
{
    /// <summary>The default index file: <c>naspacs.db</c> in the current folder.</summary>
    public const string DefaultDatabase = "naspacs.db";

    public static Option<FileInfo> DatabaseOption() => new("--db")
    {
        Description = $"The index file (SQLite). Default: {DefaultDatabase} in the current folder.",
        DefaultValueFactory = _ => new FileInfo(DefaultDatabase),
    };

    /// <summary>The status file option: default <c>&lt;db without extension&gt;.status.json</c>, one per index.</summary>
    public static Option<FileInfo?> StatusOption() => new("--status")
    {
        Description = "The status file a run rewrites as it goes (JSON). Default: the index file with the extension .status.json.",
    };

    /// <summary>The status file in effect: the one given, or the index's own.</summary>
    public static string StatusPath(string databasePath, FileInfo? given) => given?.FullName ?? IndexingOptions.DefaultStatusFilePath(databasePath);

    /// <summary>Whether the index file exists; when it does not, says how to create one.</summary>
    public static bool IndexExists(string databasePath, IAnsiConsole console)
    {
        if (File.Exists(databasePath))
        {
            return true;
        }

        console.MarkupLineInterpolated($"[red]No index at {databasePath}.[/] Create one with: naspacs index <folder> --db {databasePath}");
        return false;
    }

    /// <summary>
    /// The CLI's services. Not validated on build: in a native AOT binary the validation builds every generic service
    /// type at run time, ~6 % of the CPU of a run over an empty folder (perf); <see cref="Services"/> is validated by a test.
    /// </summary>
    public static ServiceProvider Build(string databasePath, Action<IndexingOptions>? configure = null)
        => Services(databasePath, configure).BuildServiceProvider();

    /// <summary>The service collection <see cref="Build"/> composes.</summary>
    public static ServiceCollection Services(string databasePath, Action<IndexingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddNasEnumeration();
        services.AddNasIndexing(options =>
        {
            options.DatabasePath = databasePath;
            configure?.Invoke(options);
        });
        return services;
    }
}
