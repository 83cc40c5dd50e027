using System.CommandLine;
using NasPacs.Cli;
using NasPacs.Abstractions.Indexing;
using NasPacs.Cli.Commands;
using Spectre.Console;

// Redirected output (a log file, a pipe) is not a terminal: keep table rows on one line instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 240;
}

var root = new RootCommand("NasPacs: index the DICOM archive on your NAS and find any series in it.")
{
    HeadersCommand.Create(),
    IndexCommand.Create(),
    SearchCommand.Create(),
    StatusCommand.Create(),
    ErrorsCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A wrong command line is exit code 2, as documented, not the parser's generic 1 (which means "inputs had errors").
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    Console.Error.WriteLine("See 'naspacs --help'.");
    return ExitCodes.Usage;
}

// Ctrl+C cancels the command's token; an index run then writes what it has read, which takes a moment on a slow share.
try
{
    return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30), EnableDefaultExceptionHandler = false });
}
catch (IndexingException ex)
{
    // An index that cannot be opened (not a NasPacs index, written by a newer NasPacs, in a folder that refuses writing),
    // by any command: said with what to do, not as a stack trace.
    AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
    if (ex.Suggestion.Length > 0)
    {
        AnsiConsole.MarkupLineInterpolated($"  {ex.Suggestion}");
    }

    return ExitCodes.Failed;
}
catch (OperationCanceledException)
{
    return ExitCodes.Cancelled;
}
catch (Exception ex)
{
    // What the parser's default handler did with anything else: the whole exception on stderr, exit code 1.
    await Console.Error.WriteLineAsync($"Unhandled exception: {ex}");
    return 1;
}
