using NasPacs.Abstractions.Errors;

namespace NasPacs.Indexing.Pipeline;

/// <summary>The counts of one run, updated from every stage without locks.</summary>
internal sealed class RunCounters
{
    private readonly long[] _errorsByCategory = new long[Enum.GetValues<ErrorCategory>().Length];

    public long FoldersSeen;
    public long FilesSeen;
    public long Enumerated;
    public long Processed;
    public long New;
    public long Modified;
    public long Unchanged;
    public long Removed;
    public long NotDicom;
    public long DicomDir;
    public long Errors;
    public long BytesRead;
    public long SeriesCount;

    /// <summary>Series rows this run inserted (the full-text index is merged at the end when there are any).</summary>
    public long SeriesAdded;

    public void AddError(ErrorCategory category)
    {
        Interlocked.Increment(ref Errors);
        Interlocked.Increment(ref _errorsByCategory[(int)category]);
    }

    public Dictionary<ErrorCategory, long> ErrorsByCategory()
    {
        var result = new Dictionary<ErrorCategory, long>();
        foreach (var category in Enum.GetValues<ErrorCategory>())
        {
            var count = Volatile.Read(ref _errorsByCategory[(int)category]);
            if (count > 0)
            {
                result[category] = count;
            }
        }

        return result;
    }
}
