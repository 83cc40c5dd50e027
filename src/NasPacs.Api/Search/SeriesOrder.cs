using NasPacs.Abstractions.Indexing;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Search;

/// <summary>The <c>sort</c> parameter: a column name, <c>-</c> in front for descending (default <c>-study_date</c>).</summary>
internal sealed record SeriesOrder(SeriesSort Sort, bool Descending, string Text)
{
    private static readonly Dictionary<string, SeriesSort> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["study_date"] = SeriesSort.StudyDate,
        ["patient_name"] = SeriesSort.PatientName,
        ["modality"] = SeriesSort.Modality,
        ["file_count"] = SeriesSort.FileCount,
        ["last_seen"] = SeriesSort.LastSeen,
        ["relevance"] = SeriesSort.Relevance,
    };

    public static SeriesOrder Parse(string? value, RequestErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new(SeriesSort.StudyDate, true, "-study_date");
        }

        var text = value.Trim();
        var descending = text.StartsWith('-');
        var name = text.TrimStart('-', '+');
        if (Names.TryGetValue(name, out var sort))
        {
            return new(sort, descending, (descending ? "-" : "") + name.ToLowerInvariant());
        }

        errors.Add("sort", $"sort must be one of {string.Join(", ", Names.Keys)}, with '-' in front for descending.");
        return new(SeriesSort.StudyDate, true, "-study_date");
    }

    /// <summary>Orders rows from several roots the way each root's query ordered them (SQLite: NULL first, then binary order).</summary>
    public IEnumerable<SeriesRow> Apply(IEnumerable<SeriesRow> rows)
    {
        IOrderedEnumerable<SeriesRow> ordered = Sort switch
        {
            SeriesSort.PatientName => By(rows, r => r.PatientName),
            SeriesSort.Modality => By(rows, r => r.Modality),
            SeriesSort.FileCount => Descending ? rows.OrderByDescending(r => r.FileCount) : rows.OrderBy(r => r.FileCount),
            SeriesSort.LastSeen => Descending ? rows.OrderByDescending(r => r.LastSeen) : rows.OrderBy(r => r.LastSeen),
            SeriesSort.Relevance => rows.OrderBy(_ => 0),
            _ => By(rows, r => r.StudyDate).ThenBy(r => r.StudyTime, Comparer(Descending)),
        };
        return ordered;
    }

    private IOrderedEnumerable<SeriesRow> By(IEnumerable<SeriesRow> rows, Func<SeriesRow, string?> key) => rows.OrderBy(key, Comparer(Descending));

    private static Comparer<string?> Comparer(bool descending)
        => Comparer<string?>.Create((a, b) => (descending ? -1 : 1) * string.CompareOrdinal(a, b));
}
