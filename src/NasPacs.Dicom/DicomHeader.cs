namespace NasPacs.Dicom;

/// <summary>
/// What <see cref="DicomHeaderReader"/> found in one file: the requested elements, decoded, or why it could not read them.
/// </summary>
public sealed class DicomHeader
{
    internal DicomHeader(DicomHeaderStatus status, DicomReadError? error)
    {
        Status = status;
        Error = error;
    }

    /// <summary>Whether the header was read, and if not, why.</summary>
    public DicomHeaderStatus Status { get; }

    /// <summary>The problem, when <see cref="Status"/> is not <see cref="DicomHeaderStatus.Ok"/>.</summary>
    public DicomReadError? Error { get; }

    /// <summary>The transfer syntax UID from the file meta group, or the one detected for a raw dataset.</summary>
    public string? TransferSyntaxUid { get; init; }

    /// <summary>
    /// Byte offset of the Pixel Data element (7FE0,0010) tag in the file, when parsing reached it (it stops earlier when every
    /// requested tag is lower; request <see cref="DicomTags.PixelData"/> to locate it). Not set for a deflated dataset.
    /// </summary>
    public long? PixelDataOffset { get; init; }

    /// <summary>How many bytes of the file the parse looked at.</summary>
    public int BytesExamined { get; init; }

    /// <summary>Set when the Specific Character Set was unknown or unsupported and values were decoded with a fallback, saying which.</summary>
    public string? CharacterSetWarning { get; init; }

    /// <summary>
    /// The requested elements present in the file: decoded, padding removed, one string per value (VM). When the status is
    /// not <see cref="DicomHeaderStatus.Ok"/>, the elements read before the problem (for diagnosis, not for an index).
    /// </summary>
    public IReadOnlyDictionary<DicomTag, IReadOnlyList<string>> Elements { get; init; } = DicomElementCollection.Empty;

    /// <summary>The values of an element, or <see langword="null"/> when the file does not have it.</summary>
    public IReadOnlyList<string>? GetValues(DicomTag tag) => Elements.TryGetValue(tag, out var values) ? values : null;

    /// <summary>The element's values joined with <c>\</c> as DICOM writes them, or <see langword="null"/> when absent.</summary>
    public string? GetString(DicomTag tag) => GetValues(tag) is { } values ? string.Join('\\', values) : null;

    internal static DicomHeader Failed(DicomHeaderStatus status, DicomReadError error, string? transferSyntaxUid = null,
        DicomElementCollection? elementsBeforeError = null) =>
        new(status, error) { TransferSyntaxUid = transferSyntaxUid, Elements = elementsBeforeError ?? DicomElementCollection.Empty };
}
