using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;

namespace NasPacs.Dicom;

/// <summary>
/// Reads the index tags of a DICOM file without reading its pixel data. Thread-safe; one instance can serve many workers.
/// </summary>
public sealed partial class DicomHeaderReader
{
    private readonly uint[] _requested;

    /// <summary>Creates a reader for the given options (the index tags when <see langword="null"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size in <paramref name="options"/> is outside its documented range.</exception>
    public DicomHeaderReader(DicomHeaderReaderOptions? options = null)
    {
        Options = options ?? new DicomHeaderReaderOptions();
        Options.Validate();
        _requested = [.. Options.Tags.Select(t => t.Value).Distinct().Order()];
    }

    /// <summary>The options this reader was created with.</summary>
    public DicomHeaderReaderOptions Options { get; }

    /// <summary>
    /// Parses a prefix of a file. Returns <see langword="false"/> with <paramref name="bytesNeeded"/> set when the header goes on past
    /// the prefix and <paramref name="isEndOfFile"/> is <see langword="false"/>: read at least that many bytes and call again.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> prefix, bool isEndOfFile, [NotNullWhen(true)] out DicomHeader? header, out int bytesNeeded)
    {
        var values = RentScratch();
        var done = TryRead(prefix, isEndOfFile, values, out bytesNeeded);
        header = done ? values.ToHeader() : null;
        ReturnScratch(values);
        return done;
    }

    /// <summary>
    /// Parses a prefix of a file into <paramref name="result"/>, replacing what it held; as
    /// <see cref="TryRead(ReadOnlySpan{byte}, bool, out DicomHeader?, out int)"/> otherwise. While it returns
    /// <see langword="false"/>, <paramref name="result"/> holds nothing to use.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> prefix, bool isEndOfFile, DicomHeaderValues result, out int bytesNeeded)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Parse(prefix, isEndOfFile, result, out var needed))
        {
            bytesNeeded = 0;
            return true;
        }

        if (needed > Options.MaxHeaderSize || prefix.Length >= Options.MaxHeaderSize)
        {
            result.Fail(DicomHeaderStatus.Malformed, new DicomReadError(
                $"The header goes on past {Options.MaxHeaderSize} bytes (MaxHeaderSize); it needs at least {needed}.", prefix.Length), keepElements: false);
            bytesNeeded = 0;
            return true;
        }

        // Grow geometrically so a long header costs a few reads, never one per element.
        bytesNeeded = (int)Math.Min(Options.MaxHeaderSize, Math.Max(needed, 2L * Math.Max(prefix.Length, 1)));
        return false;
    }

    /// <summary>Parses a whole file held in memory.</summary>
    public DicomHeader Read(ReadOnlySpan<byte> file)
        => TryRead(file, isEndOfFile: true, out DicomHeader? header, out _) ? header : throw new InvalidOperationException("Unreachable: a whole file always yields a result.");

    /// <summary>Reads a header through <paramref name="readPrefix"/>, starting with <see cref="DicomHeaderReaderOptions.InitialReadSize"/> bytes in a rented buffer.</summary>
    public async ValueTask<DicomHeader> ReadAsync(PrefixReader readPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readPrefix);
        var values = RentScratch();
        await ReadAsync(readPrefix, values, cancellationToken).ConfigureAwait(false);
        var header = values.ToHeader();
        ReturnScratch(values);
        return header;
    }

    /// <summary>
    /// Reads a header through <paramref name="readPrefix"/> into <paramref name="result"/>, replacing what it held: the
    /// allocation-free path for a worker that reads many files (one <see cref="DicomHeaderValues"/> each).
    /// </summary>
    public async ValueTask ReadAsync(PrefixReader readPrefix, DicomHeaderValues result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readPrefix);
        ArgumentNullException.ThrowIfNull(result);
        var size = Options.InitialReadSize;
        while (true)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                var read = await readPrefix(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                if (TryRead(buffer.AsSpan(0, read), isEndOfFile: read < size, result, out var needed))
                {
                    return;
                }

                size = needed;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads a header from a file on disk.</summary>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public DicomHeader ReadFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.SequentialScan);
        return ReadHandle(handle);
    }

    // One scratch result per thread for the DicomHeader-returning methods, which decode everything anyway.
    [ThreadStatic]
    private static DicomHeaderValues? t_scratch;

    private static DicomHeaderValues RentScratch()
    {
        var values = t_scratch ?? new DicomHeaderValues();
        t_scratch = null;
        return values;
    }

    private static void ReturnScratch(DicomHeaderValues values) => t_scratch = values;

    private DicomHeader ReadHandle(SafeFileHandle handle)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Options.InitialReadSize);
        var size = Options.InitialReadSize;
        var filled = 0;
        try
        {
            while (true)
            {
                // Only the part not read yet is read: the prefix grows in place.
                var endOfFile = false;
                while (filled < size)
                {
                    var read = RandomAccess.Read(handle, buffer.AsSpan(filled, size - filled), filled);
                    if (read == 0)
                    {
                        endOfFile = true;
                        break;
                    }

                    filled += read;
                }

                if (TryRead(buffer.AsSpan(0, filled), endOfFile, out DicomHeader? header, out var needed))
                {
                    return header;
                }

                var larger = ArrayPool<byte>.Shared.Rent(needed);
                buffer.AsSpan(0, filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
                size = needed;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
