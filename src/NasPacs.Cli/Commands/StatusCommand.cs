using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing;
using NasPacs.Indexing.Status;
using Spectre.Console;

namespace NasPacs.Cli.Commands;

/// <summary><c>naspacs status [--db file] [--status file]</c>: the latest status file, the index totals and the last runs.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var db = IndexServices.DatabaseOption();
        var status = IndexServices.StatusOption();
        var command = new Command("status", "Show the progress of the current or last index run and what the index holds.") { db, status };
        command.SetAction((parse, ct) =>
        {
            var databasePath = parse.GetRequiredValue(db).FullName;
            return RunAsync(databasePath, AnsiConsole.Console, ct, IndexServices.StatusPath(databasePath, parse.GetValue(status)));
        });
        return command;
    }

    public static async Task<int> RunAsync(string databasePath, IAnsiConsole console, CancellationToken cancellationToken, string? statusPath = null)
    {
        if (!IndexServices.IndexExists(databasePath, console))
        {
            return ExitCodes.Failed;
        }

        await using var services = IndexServices.Build(databasePath);
        statusPath ??= IndexingOptions.DefaultStatusFilePath(databasePath);
        try
        {
            if (StatusFile.Read(statusPath) is { } status)
            {
                console.MarkupLineInterpolated($"[bold]Status[/] ({statusPath}, updated {status.LastUpdated:u}):");
                console.WriteLine("  " + IndexProgress.Line(status));
            }
        }
        catch (JsonException ex)
        {
            console.MarkupLineInterpolated($"[yellow]The status file {statusPath} cannot be read: {ex.Message}[/]");
        }

        var query = services.GetRequiredService<IIndexQuery>();
        var totals = await query.GetTotalsAsync(cancellationToken);
        console.MarkupLine(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]Index[/] of {Markup.Escape(totals.Root ?? "(no run yet)")}: {totals.Series:N0} series, {totals.Files:N0} files, {totals.TotalBytes / 1e9:N2} GB; {totals.OtherFiles:N0} other files (not DICOM, unreadable, or a DICOMDIR)."));
        var runs = await query.GetRunsAsync(new PageRequest(0, 5), cancellationToken);
        var table = new Table().Border(TableBorder.Simple).AddColumns("Run", "Started (UTC)", "Outcome", "Processed", "New", "Changed", "Unchanged", "Removed", "Errors");
        foreach (var r in runs.Items)
        {
            table.AddRow(
                r.Id.ToString(CultureInfo.InvariantCulture),
                r.StartedAt.ToString("u", CultureInfo.InvariantCulture),
                r.Outcome.ToString(),
                r.FilesProcessed.ToString("N0", CultureInfo.InvariantCulture),
                r.NewFiles.ToString("N0", CultureInfo.InvariantCulture),
                r.ModifiedFiles.ToString("N0", CultureInfo.InvariantCulture),
                r.UnchangedFiles.ToString("N0", CultureInfo.InvariantCulture),
                r.RemovedFiles.ToString("N0", CultureInfo.InvariantCulture),
                r.Errors.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        return ExitCodes.Ok;
    }
}
