namespace NasPacs.Dicom;

/// <summary>What <see cref="DicomHeaderReader"/> reads and how much it may read.</summary>
public sealed class DicomHeaderReaderOptions
{
    /// <summary>Smallest allowed <see cref="InitialReadSize"/>: 256 bytes.</summary>
    public const int MinInitialReadSize = 256;

    /// <summary>Largest allowed <see cref="InitialReadSize"/>: 1 MiB.</summary>
    public const int MaxInitialReadSize = 1024 * 1024;

    /// <summary>Largest allowed <see cref="MaxHeaderSize"/>: 1 GiB.</summary>
    public const int MaxMaxHeaderSize = 1024 * 1024 * 1024;

    /// <summary>The elements to return. Parsing stops at the first element past the highest of them. Default <see cref="DicomTags.IndexTags"/>.</summary>
    public IReadOnlyCollection<DicomTag> Tags { get; init; } = DicomTags.IndexTags;

    /// <summary>Bytes read first. Default 8 KiB; 256 B to 1 MiB. Most real headers end within 8 KiB.</summary>
    public int InitialReadSize { get; init; } = 8 * 1024;

    /// <summary>The most bytes a header may take before it is reported as malformed. Default 4 MiB; at least <see cref="InitialReadSize"/>, at most 1 GiB.</summary>
    public int MaxHeaderSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Checks the documented ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside its range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Tags"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Tags);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialReadSize, MinInitialReadSize, nameof(InitialReadSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InitialReadSize, MaxInitialReadSize, nameof(InitialReadSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderSize, InitialReadSize, nameof(MaxHeaderSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxHeaderSize, MaxMaxHeaderSize, nameof(MaxHeaderSize));
    }
}
