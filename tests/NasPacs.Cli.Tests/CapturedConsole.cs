using Spectre.Console;

namespace NasPacs.Cli.Tests;

/// <summary>A Spectre console that writes plain, wide text into a string, for asserting on command output.</summary>
internal static class CapturedConsole
{
    public static (IAnsiConsole Console, StringWriter Output) Create()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 300;
        return (console, output);
    }
}
