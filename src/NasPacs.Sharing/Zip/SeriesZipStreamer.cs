using System.Buffers;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing.Zip;

/// <summary>
/// Zips a series with <see cref="ZipArchive"/> in create mode over a non-seekable stream: each entry gets a data descriptor
/// (general purpose bit 3, APPNOTE 4.3.9), so nothing is buffered or sought back; ZIP64 records (APPNOTE 4.3.14, 4.4.1.4)
/// are written when the archive passes 4 GiB or 65,535 entries. Only the central directory's per-entry records stay in memory
/// until the end (about 1 KB per file), which a streamed zip cannot avoid.
/// </summary>
internal sealed class SeriesZipStreamer(IOptions<ShareOptions> options, ILogger<SeriesZipStreamer> logger) : ISeriesZipStreamer
{
    private const int PageSize = PageRequest.MaxLimit;
    private const int MaxMissingLines = 10_000;
    private static readonly DateTimeOffset OldestDosTime = new(1980, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NewestDosTime = new(2107, 12, 31, 0, 0, 0, TimeSpan.Zero);

    public string ArchiveFileName(SeriesSummary series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return $"series_{ZipEntryNames.Part(series.StudyDate, "nodate")}_{ZipEntryNames.Part(series.SeriesNumber, "0")}.zip";
    }

    public async Task<ZipStreamResult> WriteAsync(Stream destination, SeriesZipRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);
        var level = request.Compression == ShareCompression.Deflate ? CompressionLevel.Fastest : CompressionLevel.NoCompression;
        var folder = ZipEntryNames.Folder(request.Series);
        var missing = new List<string>();
        var buffer = ArrayPool<byte>.Shared.Rent(options.Value.ReadBufferSize);
        var output = new CoalescingWriteStream(destination);
        int number = 0, written = 0, missingCount = 0;
        long bytes = 0;
        try
        {
            await using (var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    var width = 5;
                    for (var offset = 0; ; offset += PageSize)
                    {
                        var page = await request.Index.GetSeriesFilesAsync(request.Series.SeriesKey, new PageRequest(offset, PageSize), cancellationToken).ConfigureAwait(false);
                        if (offset == 0)
                        {
                            width = ZipEntryNames.Width(page.Total);
                        }

                        foreach (var file in page.Items)
                        {
                            var name = ZipEntryNames.File(++number, width);
                            var (copied, problem) = await AddAsync(zip, folder + name, file, request.Source, level, buffer, cancellationToken).ConfigureAwait(false);
                            bytes += copied;
                            if (problem is null)
                            {
                                written++;
                                continue;
                            }

                            missingCount++;
                            if (missing.Count < MaxMissingLines)
                            {
                                missing.Add($"{name}  {problem}");
                            }
                        }

                        if (page.Items.Count < PageSize)
                        {
                            break;
                        }
                    }

                    if (missingCount > 0)
                    {
                        await WriteMissingAsync(zip, folder, missing, missingCount, number, cancellationToken).ConfigureAwait(false);
                        logger.FilesMissing(missingCount, number);
                    }
                }
                catch
                {
                    // The archive's closing records must not go to a client that has gone or to a broken stream.
                    output.Abandon();
                    throw;
                }
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new ZipStreamResult(written, missingCount, bytes);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.ZipCancelled(written);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await output.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Adds one file; returns the bytes read and, when it is not in the zip whole, why.</summary>
    private static async Task<(long Copied, string? Problem)> AddAsync(
        ZipArchive zip, string name, IndexedFile file, IFileSource source, CompressionLevel level, byte[] buffer, CancellationToken cancellationToken)
    {
        var current = await source.GetEntryAsync(file.RelativePath, cancellationToken).ConfigureAwait(false);
        if (current is not { } entry)
        {
            return (0, "vanished from the NAS after the series was indexed");
        }

        if (entry.Size != file.Size || entry.LastWriteTimeUtc.UtcTicks != file.LastWriteTimeUtc.UtcTicks)
        {
            return (0, "changed on the NAS after the series was indexed (size or time differ)");
        }

        Stream input;
        try
        {
            input = await source.OpenReadAsync(file.RelativePath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileSourceException ex)
        {
            return (0, $"could not be read ({ex.Code})");
        }

        var zipEntry = zip.CreateEntry(name, level);
        zipEntry.LastWriteTime = entry.LastWriteTimeUtc < OldestDosTime ? OldestDosTime : entry.LastWriteTimeUtc > NewestDosTime ? NewestDosTime : entry.LastWriteTimeUtc;
        long copied = 0;
        await using (input.ConfigureAwait(false))
        {
            var target = await zipEntry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (target.ConfigureAwait(false))
            {
                try
                {
                    while (copied < file.Size)
                    {
                        var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, file.Size - copied)), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        copied += read;
                    }
                }
                catch (Exception ex) when (ex is IOException or FileSourceException && !cancellationToken.IsCancellationRequested)
                {
                    return (copied, "failed part-way through reading; the copy in this zip is incomplete");
                }
            }
        }

        return copied == file.Size ? (copied, null) : (copied, "became shorter while being read; the copy in this zip is incomplete");
    }

    private static async Task WriteMissingAsync(ZipArchive zip, string folder, List<string> lines, int missing, int total, CancellationToken cancellationToken)
    {
        var text = new StringBuilder()
            .Append("These files of the series are not in this zip (").Append(missing).Append(" of ").Append(total).Append("):\r\n\r\n");
        foreach (var line in lines)
        {
            text.Append(line).Append("\r\n");
        }

        if (missing > lines.Count)
        {
            text.Append("… and ").Append(missing - lines.Count).Append(" more.\r\n");
        }

        text.Append("\r\nAsk the sender to index the folder again and share the series anew.\r\n");
        var entry = zip.CreateEntry(folder + "MISSING.txt", CompressionLevel.Optimal);
        var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (target.ConfigureAwait(false))
        {
            await target.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        }
    }
}
