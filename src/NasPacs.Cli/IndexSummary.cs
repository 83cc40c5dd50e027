using System.Globalization;
using NasPacs.Abstractions.Indexing;
using Spectre.Console;

namespace NasPacs.Cli;

/// <summary>The final summary of an index run.</summary>
internal static class IndexSummary
{
    public static void Write(IAnsiConsole console, IndexStatus s, string databasePath)
    {
        var elapsed = s.StartedAt is { } start ? s.LastUpdated - start : TimeSpan.Zero;
        var rate = elapsed.TotalSeconds > 0 ? s.FilesProcessed / elapsed.TotalSeconds : 0;
        var colour = s.Phase switch { IndexState.Completed => "green", IndexState.Cancelled => "yellow", _ => "red" };
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[{colour}]{s.Phase}[/] in {elapsed.TotalSeconds:N1} s: {s.FilesProcessed:N0} files ({rate:N0} files/s), {s.SeriesCount:N0} series in the index."));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  new {s.NewFiles:N0}, changed {s.ModifiedFiles:N0}, unchanged {s.UnchangedFiles:N0}, removed {s.RemovedFiles:N0}, not DICOM {s.NotDicomFiles:N0}, DICOMDIR {s.DicomDirFiles:N0}"));
        if (s.Errors > 0)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  [red]{s.Errors:N0} errors[/] ({Markup.Escape(IndexProgress.ByCategory(s))}); see them with: naspacs errors --db {Markup.Escape(QuoteIfNeeded(databasePath))} --run {s.RunId}"));
        }

        if (s.FailureMessage is { } failure)
        {
            console.MarkupLineInterpolated($"  [red]{failure}[/]");
        }

        if (s.Phase == IndexState.Cancelled)
        {
            console.MarkupLine("  Run the same command again to resume: files already written are not read again.");
        }
    }

    private static string QuoteIfNeeded(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
