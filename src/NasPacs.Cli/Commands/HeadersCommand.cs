using System.CommandLine;

namespace NasPacs.Cli.Commands;

/// <summary><c>naspacs headers &lt;file-or-folder&gt;... [--recursive]</c>: one JSON object per file with the index tags.</summary>
internal static class HeadersCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Files or folders to read.", Arity = ArgumentArity.OneOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Read folders recursively." };
        var command = new Command("headers", "Print the DICOM header values NasPacs indexes, one JSON object per file.") { paths, recursive };
        command.SetAction((parse, ct) => Task.FromResult(ExitCodes.Failed));
        return command;
    }
}
