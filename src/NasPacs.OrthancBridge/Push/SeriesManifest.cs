using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.OrthancBridge.Push;

/// <summary>
/// A series as the NAS index holds it, ready to push: its instances (one per SOP Instance UID; copies of a file count
/// once), their predicted Orthanc IDs, the series' folder and the manifest hash that detects drift.
/// </summary>
internal sealed class SeriesManifest
{
    private SeriesManifest(SeriesSummary summary, IReadOnlyList<IndexedFile> files)
    {
        Summary = summary;
        Files = files;
        var study = Clean(summary.StudyInstanceUid);
        var series = Clean(summary.SeriesInstanceUid);
        var predictable = study is not null && series is not null;
        SeriesId = predictable ? OrthancIds.Series(summary.PatientId, study!, series!) : null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var instances = new List<PlannedInstance>(files.Count);
        foreach (var file in files)
        {
            var sop = Clean(file.SopInstanceUid);
            if (sop is not null && !seen.Add(sop))
            {
                continue;
            }

            var predicted = predictable && sop is not null ? OrthancIds.Instance(summary.PatientId, study!, series!, sop) : null;
            instances.Add(new PlannedInstance(file.RelativePath, file.Size, file.LastWriteTimeUtc, sop, predicted));
        }

        Instances = instances;
        Hash = ComputeHash(files);
        Folder = CommonFolder(files);
    }

    public SeriesSummary Summary { get; }

    public IReadOnlyList<IndexedFile> Files { get; }

    public IReadOnlyList<PlannedInstance> Instances { get; }

    /// <summary>The predicted Orthanc series ID, or <see langword="null"/> without Study and Series Instance UIDs.</summary>
    public string? SeriesId { get; }

    /// <summary>SHA-256 (hex) over the sorted lines <c>SOPInstanceUID TAB size TAB mtime-ms</c> of every file.</summary>
    public string Hash { get; }

    /// <summary>The deepest folder holding all the files, relative to the root (<c>.</c> for the root itself).</summary>
    public string Folder { get; }

    /// <summary>Reads the series and all its indexed files, page by page.</summary>
    public static async Task<SeriesManifest?> LoadAsync(IIndexQuery index, string seriesKey, CancellationToken cancellationToken)
    {
        var summary = await index.GetSeriesAsync(seriesKey, cancellationToken).ConfigureAwait(false);
        if (summary is null)
        {
            return null;
        }

        var files = new List<IndexedFile>((int)Math.Min(summary.FileCount, 100_000));
        for (var offset = 0; ; offset += PageRequest.MaxLimit)
        {
            var page = await index.GetSeriesFilesAsync(seriesKey, new PageRequest(offset, PageRequest.MaxLimit), cancellationToken).ConfigureAwait(false);
            files.AddRange(page.Items.Where(f => f.State == IndexedFileState.Indexed));
            if (page.Items.Count < PageRequest.MaxLimit || offset + page.Items.Count >= page.Total)
            {
                break;
            }
        }

        return new SeriesManifest(summary, files);
    }

    private static string? Clean(string? value)
    {
        var trimmed = value?.Trim(' ', '\0');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static string ComputeHash(IReadOnlyList<IndexedFile> files)
    {
        var lines = files
            .Select(f => string.Create(CultureInfo.InvariantCulture, $"{Clean(f.SopInstanceUid) ?? ""}\t{f.Size}\t{f.LastWriteTimeUtc.ToUnixTimeMilliseconds()}\n"))
            .Order(StringComparer.Ordinal);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string CommonFolder(IReadOnlyList<IndexedFile> files)
    {
        if (files.Count == 0)
        {
            return ".";
        }

        var common = Folder(files[0].RelativePath);
        foreach (var file in files)
        {
            var folder = Folder(file.RelativePath);
            while (common.Length > 0 && !(folder == common || folder.StartsWith(common + "/", StringComparison.Ordinal)))
            {
                var cut = common.LastIndexOf('/');
                common = cut < 0 ? "" : common[..cut];
            }
        }

        return common.Length == 0 ? "." : common;

        static string Folder(string path)
        {
            var cut = path.LastIndexOf('/');
            return cut < 0 ? "" : path[..cut];
        }
    }
}
