using System.CommandLine;
using NasPacs.Cli.Commands;

var root = new RootCommand("NasPacs: index the DICOM archive on your NAS and find any series in it.")
{
    HeadersCommand.Create(),
    IndexCommand.Create(),
    SearchCommand.Create(),
    StatusCommand.Create(),
};

// Ctrl+C cancels the command's token; an index run then writes what it has read, which takes a moment on a slow share.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
