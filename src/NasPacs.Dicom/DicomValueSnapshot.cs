namespace NasPacs.Dicom;

/// <summary>
/// Some elements of one header, copied out of a <see cref="DicomHeaderValues"/> by <see cref="DicomHeaderValues.Snapshot"/>:
/// immutable and thread-safe, decoded only when asked for, exactly as <see cref="DicomHeader"/> decodes them.
/// </summary>
public sealed class DicomValueSnapshot
{
    internal DicomValueSnapshot(DicomRawElements elements) => Elements = elements;

    internal DicomRawElements Elements { get; }

    /// <summary>The values of an element as <see cref="DicomHeader.GetValues"/> gives them, or <see langword="null"/> when absent.</summary>
    public IReadOnlyList<string>? GetValues(DicomTag tag) => Elements.GetValues(tag);

    /// <summary>The element's values joined with <c>\</c>, as <see cref="DicomHeader.GetString"/>, or <see langword="null"/> when absent.</summary>
    public string? GetString(DicomTag tag) => Elements.GetString(tag);
}
