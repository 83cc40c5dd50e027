using Microsoft.Extensions.FileSystemGlobbing;
using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration;

/// <summary>The design's candidate rule (<c>.dcm</c>, <c>.dicom</c>, <c>.ima</c>, no extension) plus include and exclude globs.</summary>
internal sealed class DicomCandidateFilter : ICandidateFilter
{
    private readonly HashSet<string> _extensions;
    private readonly HashSet<string> _excludedFolders;
    private readonly bool _withoutExtension;
    private readonly Matcher? _include;
    private readonly Matcher? _exclude;

    public DicomCandidateFilter(CandidateFilterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _extensions = new HashSet<string>(options.Extensions.Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        _excludedFolders = new HashSet<string>(options.ExcludedFolderNames, StringComparer.OrdinalIgnoreCase);
        _withoutExtension = options.IncludeFilesWithoutExtension;
        _include = CreateMatcher(options.IncludeGlobs);
        _exclude = CreateMatcher(options.ExcludeGlobs);
    }

    public CandidateKind Classify(string relativePath)
    {
        var name = FileName(relativePath);
        if (name.Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
        {
            return CandidateKind.DicomDir;
        }

        var candidate = HasCandidateExtension(name) || (_include is not null && _include.Match(relativePath).HasMatches);
        if (candidate && _exclude is not null && _exclude.Match(relativePath).HasMatches)
        {
            candidate = false;
        }

        return candidate ? CandidateKind.Candidate : CandidateKind.Skip;
    }

    public bool ShouldEnterDirectory(string relativePath)
        => relativePath.Length == 0 || !_excludedFolders.Contains(FileName(relativePath).ToString());

    private bool HasCandidateExtension(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        if (dot < 0)
        {
            return _withoutExtension;
        }

        var extension = name[dot..];
        if (IsDigits(extension[1..]) && extension.Length > 1)
        {
            // A UID-named file (1.2.840.113619.2.55.3.123): the "extension" is the last UID component.
            return _withoutExtension;
        }

        return _extensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(extension);
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> FileName(string relativePath)
    {
        var slash = relativePath.LastIndexOf('/');
        return relativePath.AsSpan(slash + 1);
    }

    private static Matcher? CreateMatcher(IList<string> globs)
    {
        if (globs.Count == 0)
        {
            return null;
        }

        var matcher = new Matcher(StringComparison.OrdinalIgnoreCase);
        matcher.AddIncludePatterns(globs);
        return matcher;
    }
}
