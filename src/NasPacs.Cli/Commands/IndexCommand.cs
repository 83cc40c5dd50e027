using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Enumeration;
using NasPacs.Smb;
using Spectre.Console;

namespace NasPacs.Cli.Commands;

/// <summary>
/// <c>naspacs index &lt;folder or smb://host/share/path&gt; [--db &lt;file&gt;] [--status &lt;file&gt;] [--workers N] [--json &lt;out.json&gt;]</c>:
/// index a folder or an SMB share with live progress, then print a summary. Exit codes: 0 done, 1 done with errors,
/// 2 usage, 3 failed, 130 cancelled (a re-run resumes).
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder")
        {
            Description = $"The folder to index: a local disk, a mounted share, a UNC path, or smb://host[:port]/share/path (login from {SmbLogin.UserVariable}, {SmbLogin.PasswordVariable} and {SmbLogin.DomainVariable}).",
        };
        var db = IndexServices.DatabaseOption();
        var status = IndexServices.StatusOption();
        var workers = new Option<int?>("--workers") { Description = $"Header readers working at once (1-256). Default 8, or {SmbFileSourceFactory.RecommendedReaders} for smb://." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the index as the design's JSON (series with files) to this file." };
        var maxFiles = new Option<double>("--max-files-per-second") { Description = "Throttle: read at most this many files per second (0 = no limit)." };
        var maxMegabytes = new Option<double>("--max-mb-per-second") { Description = "Throttle: read at most this many MB of headers per second (0 = no limit)." };
        var allowEmpty = new Option<bool>("--allow-empty-root")
        {
            Description = "Let a run that finds no DICOM file remove every file from the index. Without it such a run fails and removes nothing: an empty folder is usually a share that is not mounted.",
        };
        var command = new Command("index", "Index the DICOM files below a folder into a searchable SQLite index (incremental; Ctrl+C stops, a re-run resumes).")
        {
            folder, db, status, workers, json, maxFiles, maxMegabytes, allowEmpty,
        };
        command.SetAction((parse, ct) => RunAsync(
            new IndexArguments(
                Root(parse.GetRequiredValue(folder)),
                parse.GetRequiredValue(db).FullName,
                parse.GetValue(workers),
                parse.GetValue(json)?.FullName,
                parse.GetValue(maxFiles),
                parse.GetValue(maxMegabytes),
                parse.GetValue(status)?.FullName,
                SmbLogin.FromEnvironment(),
                parse.GetValue(allowEmpty)),
            AnsiConsole.Console,
            ct));
        return command;
    }

    /// <summary>A folder as its full path; an <c>smb://</c> URI as given.</summary>
    private static string Root(string given) => SmbLogin.IsSmbRoot(given) ? given : Path.GetFullPath(given);

    public static async Task<int> RunAsync(IndexArguments arguments, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var smb = SmbLogin.IsSmbRoot(arguments.Root);
        if (arguments.JsonPath is { } json && JsonPathProblem(json) is { } problem)
        {
            // Said before the run, not after it: the export is the last step of what may be an hour of indexing.
            console.MarkupLineInterpolated($"[red]Cannot write the index JSON:[/] {problem}");
            return ExitCodes.Usage;
        }

        await using var services = IndexServices.Build(arguments.DatabasePath, options =>
        {
            options.MaxWorkers = arguments.Workers ?? (smb ? SmbFileSourceFactory.RecommendedReaders : options.MaxWorkers);
            options.EnumerationParallelism = smb ? SmbFileSourceFactory.RecommendedFoldersAtOnce : options.EnumerationParallelism;
            options.MaxFilesPerSecond = arguments.MaxFilesPerSecond;
            options.MaxMegabytesPerSecond = arguments.MaxMegabytesPerSecond;
            options.StatusFilePath = arguments.StatusPath;
            options.AllowEmptyRoot = arguments.AllowEmptyRoot;
        });

        IFileSource source;
        IIndexRun run;
        try
        {
            source = smb ? OpenSmb(arguments) : services.GetRequiredService<ILocalFileSourceFactory>().Create(arguments.Root);
        }
        catch (FileSourceException ex)
        {
            console.MarkupLineInterpolated($"[red]Cannot index:[/] {ex.Message}");
            return ExitCodes.Failed;
        }
        catch (ArgumentException ex) when (smb)
        {
            // A malformed smb:// URI (no share, a bad port, credentials in it).
            console.MarkupLineInterpolated($"[red]Cannot index:[/] {ex.Message.Split(" (Parameter")[0]}");
            console.MarkupLine($"  An SMB root is smb://host[[:port]]/share/path; the login comes from {SmbLogin.UserVariable}, {SmbLogin.PasswordVariable} and {SmbLogin.DomainVariable}.");
            return ExitCodes.Usage;
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
                if (smb && final.Phase == IndexState.Failed)
                {
                    console.MarkupLine($"  Check the host, port and share in the URI, the login in {SmbLogin.UserVariable}, {SmbLogin.PasswordVariable} and {SmbLogin.DomainVariable}, and that this account may read the share.");
                }

                if (arguments.JsonPath is { } jsonPath && final.Phase == IndexState.Completed)
                {
                    try
                    {
                        await ExportAsync(services.GetRequiredService<IIndexQuery>(), jsonPath).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        console.MarkupLineInterpolated($"[red]The index is complete, but its JSON could not be written:[/] {ex.Message}");
                        console.MarkupLine("  Free space or choose another file, then run the index again with --json: unchanged files are not read again.");
                        return ExitCodes.Failed;
                    }

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

    /// <summary>The SMB source of an <c>smb://</c> root; it connects when the walk starts, and a refused login fails the run.</summary>
    private static IFileSource OpenSmb(IndexArguments arguments)
    {
        _ = new SmbOptions().WithUri(arguments.Root); // a malformed URI first: no login makes it right
        var login = arguments.Smb ?? throw new FileSourceException(
            ErrorCategory.Configuration,
            ErrorCodes.AuthenticationFailed,
            $"No SMB login: set {SmbLogin.UserVariable} and {SmbLogin.PasswordVariable} (and {SmbLogin.DomainVariable} for a domain account) in the environment.");
        return new SmbFileSourceFactory().Create(arguments.Root, login);
    }

    /// <summary>Why <paramref name="path"/> cannot take the JSON export, or null; a folder that refuses writing shows at the export.</summary>
    private static string? JsonPathProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return $"'{path}' is a folder. Give a file name, such as {Path.Join(path, "index.json")}.";
        }

        var folder = Path.GetDirectoryName(path);
        return folder is null || Directory.Exists(folder) ? null : $"the folder '{folder}' does not exist.";
    }

    private static async Task ExportAsync(IIndexQuery query, string path)
    {
        var temporary = path + ".tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await query.ExportAsync(stream).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            // A disk that filled up leaves no half-written export behind.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw;
        }
    }
}

/// <summary>The parsed command line of <c>naspacs index</c>; <paramref name="Smb"/> is the login for an <c>smb://</c> root.</summary>
/// <remarks><see cref="SmbOptions.ToString"/> leaves the password out, so this record's does too.</remarks>
internal sealed record IndexArguments(string Root, string DatabasePath, int? Workers = null, string? JsonPath = null, double MaxFilesPerSecond = 0, double MaxMegabytesPerSecond = 0, string? StatusPath = null, SmbOptions? Smb = null, bool AllowEmptyRoot = false);
