namespace NasPacs.Dicom;

/// <summary>What <see cref="DicomHeaderReader"/> reads and how much it may read.</summary>
public sealed class DicomHeaderReaderOptions
{
    /// <summary>The elements to return. Parsing stops at the first element past the highest of them. Default <see cref="DicomTags.IndexTags"/>.</summary>
    public IReadOnlyCollection<DicomTag> Tags { get; init; } = DicomTags.IndexTags;

    /// <summary>Bytes read first. Default 8 KiB; 256 B to 1 MiB. Most real headers end within 8 KiB.</summary>
    public int InitialReadSize { get; init; } = 8 * 1024;

    /// <summary>The most bytes a header may take before it is reported as malformed. Default 4 MiB; at least <see cref="InitialReadSize"/>.</summary>
    public int MaxHeaderSize { get; init; } = 4 * 1024 * 1024;
}
