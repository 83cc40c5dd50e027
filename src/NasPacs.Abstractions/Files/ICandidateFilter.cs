namespace NasPacs.Abstractions.Files;

/// <summary>What a file found by a walk is, as far as its path tells.</summary>
public enum CandidateKind
{
    /// <summary>Not a DICOM candidate (wrong extension, excluded by a glob): not read.</summary>
    Skip,

    /// <summary>Possibly a DICOM image: its header is read.</summary>
    Candidate,

    /// <summary>A DICOMDIR media directory (PS3.10 §8): recognised, counted, never indexed as an image.</summary>
    DicomDir,
}

/// <summary>
/// Decides from a path alone whether a file or folder is worth reading, so that an indexer over any
/// <see cref="IFileSource"/> applies the same rules.
/// </summary>
public interface ICandidateFilter
{
    /// <summary>Classifies a file by its path relative to the root (<c>/</c> separators).</summary>
    CandidateKind Classify(string relativePath);

    /// <summary>Whether a folder (relative path, empty for the root) is walked at all.</summary>
    bool ShouldEnterDirectory(string relativePath);
}
