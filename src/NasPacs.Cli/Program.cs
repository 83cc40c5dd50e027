using System.CommandLine;
using NasPacs.Cli.Commands;

var root = new RootCommand("NasPacs: index the DICOM archive on your NAS and find any series in it.")
{
    HeadersCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
