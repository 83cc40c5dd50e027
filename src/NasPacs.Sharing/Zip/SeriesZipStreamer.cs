using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing.Zip;

/// <summary>
/// Zips a series forward-only into a <see cref="PipeWriter"/> (the HTTP response's): a stored file is read straight into the
/// pipe's memory in <see cref="ShareOptions.ReadBufferSize"/> segments, its CRC-32 computed on that same memory, so each byte
/// is copied once on its way from the file to the socket; each entry ends with a data descriptor, so nothing is sought back
/// (see <see cref="ZipWriter"/>). Memory: one segment in flight plus the central directory (about 100 bytes per file).
/// </summary>
internal sealed class SeriesZipStreamer(IOptions<ShareOptions> options, TimeProvider clock, ILogger<SeriesZipStreamer> logger) : ISeriesZipStreamer
{
    private const int PageSize = PageRequest.MaxLimit;
    private const int MaxMissingLines = 10_000;
    private const ushort Stored = 0;
    private const ushort Deflated = 8;

    /// <summary>
    /// Bytes handed to the pipe between flushes. Each flush is a chunk header, a wake-up of Kestrel's socket loop and a send;
    /// a megabyte keeps that cost small per byte while memory stays flat (one megabyte plus a read segment in flight).
    /// </summary>
    private const int FlushThreshold = 1024 * 1024;

    public string ArchiveFileName(SeriesSummary series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return $"series_{ZipEntryNames.Part(series.StudyDate, "nodate")}_{ZipEntryNames.Part(series.SeriesNumber, "0")}.zip";
    }

    public async Task<ZipStreamResult> WriteAsync(PipeWriter destination, SeriesZipRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(request);
        var folder = ZipEntryNames.Folder(request.Series);
        var zip = new ZipWriter(destination, FlushThreshold);
        var missing = new List<string>();
        int number = 0, written = 0, missingCount = 0;
        long bytes = 0;
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
                    var (copied, problem) = await AddAsync(zip, folder + name, file, request, cancellationToken).ConfigureAwait(false);
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
                var text = new MemoryStream(MissingText(missing, missingCount, number));
                await WriteEntryAsync(zip, folder + "MISSING.txt", Deflated, clock.GetUtcNow().UtcDateTime, text, text.Length, cancellationToken).ConfigureAwait(false);
                logger.FilesMissing(missingCount, number);
            }

            // Closing records only after everything else went out whole: a failure above leaves the archive unterminated.
            await zip.FinishAsync(cancellationToken).ConfigureAwait(false);
            return new ZipStreamResult(written, missingCount, bytes);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.ZipCancelled(written);
            throw;
        }
    }

    /// <summary>Adds one file; returns the bytes read and, when it is not in the zip whole, why.</summary>
    private async Task<(long Copied, string? Problem)> AddAsync(ZipWriter zip, string name, IndexedFile file, SeriesZipRequest request, CancellationToken cancellationToken)
    {
        var current = await request.Source.GetEntryAsync(file.RelativePath, cancellationToken).ConfigureAwait(false);
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
            input = await request.Source.OpenReadAsync(file.RelativePath, cancellationToken).ConfigureAwait(false);
        }
        catch (FileSourceException ex)
        {
            return (0, $"could not be read ({ex.Code})");
        }

        await using (input.ConfigureAwait(false))
        {
            var method = request.Compression == ShareCompression.Deflate ? Deflated : Stored;
            var (copied, failed) = await WriteEntryAsync(zip, name, method, entry.LastWriteTimeUtc.UtcDateTime, input, file.Size, cancellationToken).ConfigureAwait(false);
            return failed ? (copied, "failed part-way through reading; the copy in this zip is incomplete")
                : copied == file.Size ? (copied, null)
                : (copied, "became shorter while being read; the copy in this zip is incomplete");
        }
    }

    /// <summary>
    /// Writes one entry of at most <paramref name="size"/> bytes of <paramref name="input"/>. A read that fails part-way ends
    /// the entry with what was read (its CRC matches those bytes) and reports it; cancellation and a gone client throw.
    /// </summary>
    private async Task<(long Copied, bool Failed)> WriteEntryAsync(
        ZipWriter zip, string name, ushort method, DateTime lastWrite, Stream input, long size, CancellationToken cancellationToken)
    {
        zip.BeginEntry(name, method, lastWrite, size);
        var output = zip.Output;
        var segment = options.Value.ReadBufferSize;
        var crc = new Crc32();
        long copied = 0, counted = 0;
        var failed = false;
        var deflated = method == Deflated ? new BufferWriterStream(output) : null;
        var deflater = deflated is null ? null : new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true);
        var buffer = deflater is null ? null : ArrayPool<byte>.Shared.Rent(segment);
        try
        {
            while (copied < size)
            {
                // Stored: read into the pipe's own memory, which then goes to the socket as it is.
                var target = buffer is null ? output.GetMemory(segment) : buffer.AsMemory();
                target = target[..(int)Math.Min(Math.Min(target.Length, segment), size - copied)];
                int read;
                try
                {
                    read = await ReadAsync(input, target, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or FileSourceException && !cancellationToken.IsCancellationRequested)
                {
                    failed = true;
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                var data = target.Span[..read];
                crc.Append(data);
                copied += read;
                if (deflater is null)
                {
                    output.Advance(read);
                    zip.Advanced(read);
                }
                else
                {
                    deflater.Write(data);
                    zip.Advanced(deflated!.BytesWritten - counted);
                    counted = deflated.BytesWritten;
                }

                await zip.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            }

            long compressed = copied;
            if (deflater is not null)
            {
                deflater.Dispose(); // writes the last block into the pipe (memory only, no I/O)
                compressed = deflated!.BytesWritten;
                zip.Advanced(compressed - counted);
            }

            zip.EndEntry(crc.GetCurrentHashAsUInt32(), compressed, copied);
            await zip.FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
            return (copied, failed);
        }
        finally
        {
            // After a normal end the deflater is disposed already; after a throw its last block must go nowhere.
            deflated?.Abandon();
            deflater?.Dispose();
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// A synchronous file stream is read in place: on Linux its ReadAsync would only move the same blocking read to another
    /// thread-pool thread, once per segment. Every other stream (the SMB client's) is read asynchronously.
    /// </summary>
    private static ValueTask<int> ReadAsync(Stream input, Memory<byte> target, CancellationToken cancellationToken)
    {
        if (input is FileStream { IsAsync: false } or MemoryStream)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(input.Read(target.Span));
        }

        return input.ReadAsync(target, cancellationToken);
    }

    private static byte[] MissingText(List<string> lines, int missing, int total)
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
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
