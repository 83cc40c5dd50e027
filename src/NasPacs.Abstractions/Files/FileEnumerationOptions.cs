using NasPacs.Abstractions.Errors;

namespace NasPacs.Abstractions.Files;

/// <summary>How a <see cref="IFileSource"/> walks its tree.</summary>
public sealed class FileEnumerationOptions
{
    /// <summary>Folders listed at once. Default 4; 1 to 64. Remote shares gain from more.</summary>
    public int MaxParallelism { get; init; } = 4;

    /// <summary>Skip hidden and system folders and files (names starting with a dot, Windows hidden/system attributes). Default <see langword="true"/>.</summary>
    public bool SkipHidden { get; init; } = true;

    /// <summary>
    /// Decides whether a folder (relative path, <c>/</c> separators, empty for the root) is walked.
    /// <see langword="null"/> walks every folder.
    /// </summary>
    public Func<string, bool>? ShouldEnterDirectory { get; init; }

    /// <summary>Called, possibly from several threads, for every folder or file that could not be listed.</summary>
    public Action<ErrorReport>? OnError { get; init; }

    /// <summary>Called, possibly from several threads, after each folder has been listed.</summary>
    public Action<EnumerationProgress>? OnProgress { get; init; }
}

/// <summary>Counts of an enumeration so far.</summary>
/// <param name="FoldersListed">Folders whose listing is complete.</param>
/// <param name="FilesSeen">Files yielded or about to be yielded.</param>
public readonly record struct EnumerationProgress(long FoldersListed, long FilesSeen);
