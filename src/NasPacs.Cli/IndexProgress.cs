using System.Globalization;
using NasPacs.Abstractions.Indexing;
using Spectre.Console;

namespace NasPacs.Cli;

/// <summary>Shows a run's progress until it ends: a live panel on a terminal, a line every few seconds otherwise.</summary>
internal static class IndexProgress
{
    public static async Task<IndexStatus> ShowAsync(IIndexRun run, IAnsiConsole console)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            // Redirected output (a log, a benchmark): one line every two seconds, no redraws.
            while (!run.Completion.IsCompleted)
            {
                await Task.WhenAny(run.Completion, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
                if (!run.Completion.IsCompleted)
                {
                    console.WriteLine(Line(run.Status));
                }
            }

            return await run.Completion.ConfigureAwait(false);
        }

        IndexStatus final = run.Status;
        await console.Live(Render(run.Status)).AutoClear(false).StartAsync(async context =>
        {
            while (!run.Completion.IsCompleted)
            {
                await Task.WhenAny(run.Completion, Task.Delay(250)).ConfigureAwait(false);
                context.UpdateTarget(Render(run.Status));
            }

            final = await run.Completion.ConfigureAwait(false);
            context.UpdateTarget(Render(final));
        }).ConfigureAwait(false);
        return final;
    }

    internal static string Line(IndexStatus s) => string.Create(
        CultureInfo.InvariantCulture,
        $"{s.Phase}: {s.FilesProcessed:N0}/{s.EnumeratedFiles:N0} files, {s.FilesPerSecond:N0} files/s, ETA {Eta(s)}, {s.SeriesCount:N0} series, {s.Errors:N0} errors");

    private static Table Render(IndexStatus s)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"naspacs index — {Markup.Escape(s.Phase.ToString())}").AddColumns("", "");
        table.HideHeaders();
        table.AddRow("Root", Markup.Escape(s.Root));
        table.AddRow("Folders / files seen", string.Create(CultureInfo.InvariantCulture, $"{s.FoldersSeen:N0} / {s.FilesSeen:N0}"));
        table.AddRow("Processed / candidates", string.Create(CultureInfo.InvariantCulture, $"{s.FilesProcessed:N0} / {s.EnumeratedFiles:N0}"));
        table.AddRow("Rate", string.Create(CultureInfo.InvariantCulture, $"{s.FilesPerSecond:N0} files/s, {s.BytesRead / 1e6:N1} MB read"));
        table.AddRow("ETA", Eta(s));
        table.AddRow("New / changed / unchanged / removed", string.Create(CultureInfo.InvariantCulture, $"{s.NewFiles:N0} / {s.ModifiedFiles:N0} / {s.UnchangedFiles:N0} / {s.RemovedFiles:N0}"));
        table.AddRow("Series", s.SeriesCount.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("Errors", s.Errors == 0 ? "0" : $"[red]{s.Errors.ToString("N0", CultureInfo.InvariantCulture)}[/] ({Markup.Escape(ByCategory(s))})");
        return table;
    }

    internal static string ByCategory(IndexStatus s)
        => string.Join(", ", s.ErrorsByCategory.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key}: {e.Value:N0}")));

    private static string Eta(IndexStatus s) => s.EstimatedCompletion is { } eta && s.Running
        ? (eta - s.LastUpdated) switch
        {
            var left when left < TimeSpan.Zero => "now",
            var left => left.ToString(left.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture),
        }
        : "-";
}
