using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using Spectre.Console;

namespace NasPacs.Cli.Commands;

/// <summary>
/// <c>naspacs index &lt;folder&gt; [--db &lt;file&gt;] [--status &lt;file&gt;] [--workers N] [--json &lt;out.json&gt;]</c>: index a folder with live
/// progress, then print a summary. Exit codes: 0 done, 1 done with errors, 2 usage, 3 failed, 130 cancelled (a re-run resumes).
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "The folder to index: a local disk, a mounted share or a UNC path." };
        var db = IndexServices.DatabaseOption();
        var status = IndexServices.StatusOption();
        var workers = new Option<int>("--workers") { Description = "Header readers working at once (1-256). Default 8.", DefaultValueFactory = _ => 8 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the index as the design's JSON (series with files) to this file." };
        var maxFiles = new Option<double>("--max-files-per-second") { Description = "Throttle: read at most this many files per second (0 = no limit)." };
        var maxMegabytes = new Option<double>("--max-mb-per-second") { Description = "Throttle: read at most this many MB of headers per second (0 = no limit)." };
        var command = new Command("index", "Index the DICOM files below a folder into a searchable SQLite index (incremental; Ctrl+C stops, a re-run resumes).")
        {
            folder, db, status, workers, json, maxFiles, maxMegabytes,
        };
        command.SetAction((parse, ct) => RunAsync(
            new IndexArguments(
                parse.GetRequiredValue(folder).FullName,
                parse.GetRequiredValue(db).FullName,
                parse.GetValue(workers),
                parse.GetValue(json)?.FullName,
                parse.GetValue(maxFiles),
                parse.GetValue(maxMegabytes),
                parse.GetValue(status)?.FullName),
            AnsiConsole.Console,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(IndexArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        await using var services = IndexServices.Build(arguments.DatabasePath, options =>
        {
            options.MaxWorkers = arguments.Workers;
            options.MaxFilesPerSecond = arguments.MaxFilesPerSecond;
            options.MaxMegabytesPerSecond = arguments.MaxMegabytesPerSecond;
            options.StatusFilePath = arguments.StatusPath;
        });

        IFileSource source;
        IIndexRun run;
        try
        {
            source = services.GetRequiredService<ILocalFileSourceFactory>().Create(arguments.Folder);
        }
        catch (FileSourceException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot index:[/] {ex.Message}");
            return ExitCodes.Failed;
        }

        await using (source.ConfigureAwait(false))
        {
            try
            {
                run = await services.GetRequiredService<IIndexer>().StartAsync(source, CancellationToken.None);
            }
            catch (OptionsValidationException ex)
            {
                console.MarkupLineInterpolated($"[red]Invalid setting:[/] {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (IndexingException ex)
            {
                console.MarkupLineInterpolated($"[red]Cannot index:[/] {ex.Message} {ex.Suggestion}");
                return ExitCodes.Failed;
            }

            await using (run.ConfigureAwait(false))
            {
                using var cancel = cancellationToken.Register(run.Cancel);
                IndexStatus final;
                try
                {
                    final = await IndexProgress.ShowAsync(run, console).ConfigureAwait(false);
                }
                catch (Exception ex) when (run.Completion.IsFaulted)
                {
                    // A bug in the run itself (the run reports it instead of waiting forever): exit as failed, not as 1.
                    console.MarkupLineInterpolated($"[red]Indexing failed on an unexpected error:[/] {ex.GetType().Name}: {ex.Message}");
                    return ExitCodes.Failed;
                }

                IndexSummary.Write(console, final, arguments.DatabasePath);
                if (arguments.JsonPath is { } jsonPath && final.Phase == IndexState.Completed)
                {
                    await ExportAsync(services.GetRequiredService<IIndexQuery>(), jsonPath).ConfigureAwait(false);
                    console.MarkupLineInterpolated($"Index JSON written to [blue]{jsonPath}[/].");
                }

                return final.Phase switch
                {
                    IndexState.Completed when final.Errors == 0 => ExitCodes.Ok,
                    IndexState.Completed => ExitCodes.CompletedWithErrors,
                    IndexState.Cancelled => ExitCodes.Cancelled,
                    _ => ExitCodes.Failed,
                };
            }
        }
    }

    private static async Task ExportAsync(IIndexQuery query, string path)
    {
        var temporary = path + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await query.ExportAsync(stream).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The parsed command line of <c>naspacs index</c>.</summary>
internal sealed record IndexArguments(string Folder, string DatabasePath, int Workers = 8, string? JsonPath = null, double MaxFilesPerSecond = 0, double MaxMegabytesPerSecond = 0, string? StatusPath = null);
