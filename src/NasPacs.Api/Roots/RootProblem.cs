using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Api.Roots;

/// <summary>Why a root could not be indexed or reached, with what a person can do about it.</summary>
/// <param name="Category">The error class.</param>
/// <param name="Code">The stable code (<see cref="ErrorCodes"/>).</param>
/// <param name="Message">What happened.</param>
/// <param name="Suggestion">What to do.</param>
/// <param name="IsTransient">Whether trying again later may help.</param>
public sealed record RootProblem(ErrorCategory Category, string Code, string Message, string Suggestion, bool IsTransient)
{
    /// <summary>From a failure to open a file source.</summary>
    public static RootProblem From(FileSourceException ex) => new(ex.Category, ex.Code, ex.Message, SuggestionFor(ex.Code), ex.IsTransient);

    /// <summary>From a failure to start a run.</summary>
    public static RootProblem From(IndexingException ex) => new(ex.Category, ex.Code, ex.Message, ex.Suggestion, false);

    /// <summary>A run that stopped on its root (the walk failed): on SMB most likely the network, otherwise the folder.</summary>
    public static RootProblem RunFailed(string? message, bool isSmb)
    {
        var code = isSmb ? ErrorCodes.NetworkFailure : ErrorCodes.RootUnreachable;
        return new(isSmb ? ErrorCategory.Network : ErrorCategory.FileSystem, code, message ?? "The run failed.", SuggestionFor(code), true);
    }

    /// <summary>What to do about a file-source failure, by its code.</summary>
    public static string SuggestionFor(string code) => code switch
    {
        ErrorCodes.RootUnreachable => "Check the path in NasPacs:Roots, that the share is mounted on this server, and that the server's account may read it.",
        ErrorCodes.AccessDenied => "Give the server's account read access to the share, or set the root's SMB user and password through the environment.",
        ErrorCodes.AuthenticationFailed => "Check the SMB user, password and domain (environment variables or user secrets).",
        ErrorCodes.NetworkFailure or ErrorCodes.Timeout => "Check that the NAS is switched on and reachable from this server (name, port 445, firewall).",
        _ => "Check the root's settings and the NAS, then try again.",
    };
}
