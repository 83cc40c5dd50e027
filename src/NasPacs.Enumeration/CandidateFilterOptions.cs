namespace NasPacs.Enumeration;

/// <summary>Which files are DICOM candidates and which folders are walked.</summary>
public sealed class CandidateFilterOptions
{
    /// <summary>Extensions of candidates, compared without case. Default <c>.dcm</c>, <c>.dicom</c>, <c>.ima</c> (the design's list).</summary>
    public IList<string> Extensions { get; } = [".dcm", ".dicom", ".ima"];

    /// <summary>
    /// Files without an extension are candidates. Default <see langword="true"/>. A name whose last dot is followed only by
    /// digits counts as having no extension: archives often name files by their SOP Instance UID (<c>1.2.840.10008.5.1</c>).
    /// </summary>
    public bool IncludeFilesWithoutExtension { get; set; } = true;

    /// <summary>
    /// Extra globs (relative to the root, <c>/</c> separators, <c>**</c> for any depth): a file matching one is a candidate
    /// whatever its extension. Default none. Clear <see cref="Extensions"/> and set these to index only what they match.
    /// </summary>
    public IList<string> IncludeGlobs { get; } = [];

    /// <summary>Globs of files that are never candidates, even with a DICOM extension. Default none.</summary>
    public IList<string> ExcludeGlobs { get; } = [];

    /// <summary>
    /// Folder names never walked, compared without case: NAS thumbnail, recycle and snapshot folders by default
    /// (<c>@eaDir</c>, <c>#recycle</c>, <c>#snapshot</c>, <c>.snapshot</c>, <c>$RECYCLE.BIN</c>, <c>System Volume Information</c>).
    /// </summary>
    public IList<string> ExcludedFolderNames { get; } = ["@eaDir", "#recycle", "#snapshot", ".snapshot", "$RECYCLE.BIN", "System Volume Information"];
}
