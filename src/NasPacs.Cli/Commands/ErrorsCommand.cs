using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using Spectre.Console;

namespace NasPacs.Cli.Commands;

/// <summary><c>naspacs errors [--db file] [--run N] [--category C] [--limit N]</c>: what went wrong, with a suggestion for each.</summary>
internal static class ErrorsCommand
{
    public static Command Create()
    {
        var db = IndexServices.DatabaseOption();
        var run = new Option<long?>("--run") { Description = "Only the errors of this run (see naspacs status)." };
        var category = new Option<ErrorCategory?>("--category") { Description = "Only this class: Network, Authentication, FileSystem, Dicom, System, Configuration." };
        var limit = new Option<int>("--limit")
        {
            Description = $"How many to show, newest first (1 to {PageRequest.MaxLimit}).",
            DefaultValueFactory = _ => 50,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > PageRequest.MaxLimit)
            {
                result.AddError($"--limit must be 1 to {PageRequest.MaxLimit}.");
            }
        });
        var command = new Command("errors", "List the files and folders that could not be indexed, and what to do about each.") { db, run, category, limit };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(db).FullName,
            new ErrorSearch { RunId = parse.GetValue(run), Category = parse.GetValue(category), Page = new PageRequest(0, parse.GetValue(limit)) },
            AnsiConsole.Console,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(string databasePath, ErrorSearch search, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!IndexServices.IndexExists(databasePath, console))
        {
            return ExitCodes.Failed;
        }

        await using var services = IndexServices.Build(databasePath);
        var errors = await services.GetRequiredService<IIndexQuery>().GetErrorsAsync(search, cancellationToken);
        if (errors.Total == 0)
        {
            console.MarkupLine("[green]No errors.[/]");
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Simple).AddColumns("Run", "Class", "Code", "Path", "What happened", "What to do");
        foreach (var e in errors.Items)
        {
            var r = e.Report;
            table.AddRow(
                Markup.Escape(e.RunId.ToString(CultureInfo.InvariantCulture)),
                Markup.Escape(r.Category.ToString()),
                Markup.Escape(r.Code),
                Markup.Escape(r.Path ?? ""),
                Markup.Escape(r.Message),
                Markup.Escape(r.Suggestion));
        }

        console.Write(table);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{errors.Items.Count:N0} of {errors.Total:N0} errors."));
        return ExitCodes.Ok;
    }
}
