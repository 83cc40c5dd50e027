using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Query;
using Spectre.Console;

namespace NasPacs.Cli.Commands;

/// <summary><c>naspacs search &lt;text&gt; [--modality M] [--from yyyy-MM-dd] [--to yyyy-MM-dd] [--db file] [--limit N]</c>.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "Words to find in patient name and ID, accession number, study and series descriptions (\"\" for all).", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "" };
        var modality = new Option<string?>("--modality") { Description = "Only this modality, for example CT or MR." };
        var from = new Option<DateOnly?>("--from") { Description = "Only studies on or after this date (yyyy-MM-dd)." };
        var to = new Option<DateOnly?>("--to") { Description = "Only studies on or before this date (yyyy-MM-dd)." };
        var limit = new Option<int>("--limit") { Description = "Series to show (1-1000). Default 50.", DefaultValueFactory = _ => 50 };
        var db = IndexServices.DatabaseOption();
        var command = new Command("search", "Find series in the index.") { text, modality, from, to, limit, db };
        command.SetAction((parse, ct) => RunAsync(
            parse.GetRequiredValue(db).FullName,
            new SeriesSearch
            {
                Text = parse.GetValue(text),
                Modality = parse.GetValue(modality),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Page = new PageRequest(0, parse.GetValue(limit)),
            },
            AnsiConsole.Console,
            ct));
        return command;
    }

    public static async Task<int> RunAsync(string databasePath, SeriesSearch search, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!IndexServices.IndexExists(databasePath, console))
        {
            return ExitCodes.Failed;
        }

        if (search.Page.Limit is < 1 or > PageRequest.MaxLimit)
        {
            console.MarkupLine($"[red]--limit must be 1 to {PageRequest.MaxLimit}.[/]");
            return ExitCodes.Usage;
        }

        await using var services = IndexServices.Build(databasePath);
        var page = await services.GetRequiredService<IIndexQuery>().SearchSeriesAsync(search, cancellationToken);
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("Study date", "Patient", "Patient ID", "Modality", "Study", "Series", "Files", "Series key");
        foreach (var s in page.Items)
        {
            table.AddRow(
                Markup.Escape(s.StudyDate ?? ""),
                Markup.Escape(s.PatientName ?? ""),
                Markup.Escape(s.PatientId ?? ""),
                Markup.Escape(s.Modality ?? ""),
                Markup.Escape(s.StudyDescription ?? ""),
                Markup.Escape(s.SeriesDescription ?? ""),
                s.FileCount.ToString("N0", CultureInfo.InvariantCulture),
                Markup.Escape(s.SeriesKey));
        }

        console.Write(table);
        var total = SearchLimits.IsCapped(page.Total)
            ? string.Create(CultureInfo.InvariantCulture, $"more than {SearchLimits.CountLimit:N0}")
            : page.Total.ToString("N0", CultureInfo.InvariantCulture);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"{page.Items.Count:N0} of {total} series."));
        return ExitCodes.Ok;
    }
}
