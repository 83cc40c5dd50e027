using System.Diagnostics.CodeAnalysis;

namespace NasPacs.Dicom;

/// <summary>
/// Reads the index tags of a DICOM file without reading its pixel data. Thread-safe; one instance can serve many workers.
/// </summary>
public sealed class DicomHeaderReader
{
    // CONTRACT PLACEHOLDER — bodies are filled in by the header reader work of issue #2.

    /// <summary>Creates a reader for the given options (the index tags when <see langword="null"/>).</summary>
    public DicomHeaderReader(DicomHeaderReaderOptions? options = null) => Options = options ?? new DicomHeaderReaderOptions();

    /// <summary>The options this reader was created with.</summary>
    public DicomHeaderReaderOptions Options { get; }

    /// <summary>
    /// Parses a prefix of a file. Returns <see langword="false"/> with <paramref name="bytesNeeded"/> set when the header goes on past
    /// the prefix and <paramref name="isEndOfFile"/> is <see langword="false"/>: read at least that many bytes and call again.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> prefix, bool isEndOfFile, [NotNullWhen(true)] out DicomHeader? header, out int bytesNeeded)
        => throw new NotImplementedException();

    /// <summary>Parses a whole file held in memory.</summary>
    public DicomHeader Read(ReadOnlySpan<byte> file)
        => TryRead(file, isEndOfFile: true, out var header, out _) ? header : throw new InvalidOperationException("Unreachable: a whole file always yields a result.");

    /// <summary>Reads a header through <paramref name="readPrefix"/>, starting with <see cref="DicomHeaderReaderOptions.InitialReadSize"/> bytes in a rented buffer.</summary>
    public ValueTask<DicomHeader> ReadAsync(PrefixReader readPrefix, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Reads a header from a file on disk.</summary>
    /// <exception cref="IOException">The file could not be opened or read.</exception>
    public DicomHeader ReadFile(string path) => throw new NotImplementedException();
}
