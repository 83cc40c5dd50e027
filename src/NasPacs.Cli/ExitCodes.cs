namespace NasPacs.Cli;

/// <summary>The exit codes of <c>naspacs</c>, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Ok = 0;

    /// <summary>The command ran, but some inputs had errors (a file that is not DICOM, a folder that could not be read).</summary>
    public const int CompletedWithErrors = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>The command could not run at all (a missing root, an unreadable database).</summary>
    public const int Failed = 3;

    /// <summary>Cancelled by Ctrl+C; a re-run resumes.</summary>
    public const int Cancelled = 130;
}
