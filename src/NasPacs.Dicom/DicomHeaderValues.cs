namespace NasPacs.Dicom;

/// <summary>
/// A reusable result of reading one header (<see cref="DicomHeaderReader.TryRead(ReadOnlySpan{byte}, bool, DicomHeaderValues, out int)"/>):
/// the requested elements kept as their raw bytes in one buffer and decoded only when asked for, the way
/// <see cref="DicomHeader"/> decodes them. One instance per worker, read file after file, allocates nothing per file for
/// the elements; not thread-safe. Each read replaces what the previous one left.
/// </summary>
public sealed class DicomHeaderValues
{
    private readonly DicomRawElements _elements = new();

    /// <summary>Whether the header was read, and if not, why.</summary>
    public DicomHeaderStatus Status { get; private set; } = DicomHeaderStatus.NotDicom;

    /// <summary>The problem, when <see cref="Status"/> is not <see cref="DicomHeaderStatus.Ok"/>.</summary>
    public DicomReadError? Error { get; private set; } = new("Nothing has been read yet.");

    /// <summary>The transfer syntax UID from the file meta group, or the one detected for a raw dataset.</summary>
    public string? TransferSyntaxUid { get; private set; }

    /// <summary>As <see cref="DicomHeader.PixelDataOffset"/>.</summary>
    public long? PixelDataOffset { get; private set; }

    /// <summary>How many bytes of the file the parse looked at.</summary>
    public int BytesExamined { get; private set; }

    /// <summary>As <see cref="DicomHeader.CharacterSetWarning"/>.</summary>
    public string? CharacterSetWarning { get; private set; }

    /// <summary>
    /// Whether the file meta group's Media Storage SOP Class UID (0002,0002) is the Media Storage Directory's
    /// (1.2.840.10008.1.3.10): a DICOMDIR, the index of a file-set (PS3.10 §8.6), not an image, whatever its file name.
    /// </summary>
    public bool IsMediaStorageDirectory { get; internal set; }

    /// <summary>How many requested elements the file has (read before the problem, when the status is not Ok).</summary>
    public int Count => _elements.Count;

    internal DicomRawElements Elements => _elements;

    /// <summary>Whether the file has the element.</summary>
    public bool Contains(DicomTag tag) => _elements.IndexOf(tag) >= 0;

    /// <summary>The element's value bytes as the file holds them (padding included), or <see langword="false"/> when absent.</summary>
    public bool TryGetRawValue(DicomTag tag, out ReadOnlySpan<byte> value)
    {
        var index = _elements.IndexOf(tag);
        value = index < 0 ? default : _elements.ValueAt(index);
        return index >= 0;
    }

    /// <summary>The values of an element as <see cref="DicomHeader.GetValues"/> gives them, or <see langword="null"/> when absent.</summary>
    public IReadOnlyList<string>? GetValues(DicomTag tag) => _elements.GetValues(tag);

    /// <summary>The element's values joined with <c>\</c>, as <see cref="DicomHeader.GetString"/>, or <see langword="null"/> when absent.</summary>
    public string? GetString(DicomTag tag) => _elements.GetString(tag);

    /// <summary>
    /// Writes what <see cref="GetString"/> returns into <paramref name="destination"/>. Allocates nothing for a single value
    /// without ISO 2022 escapes, the usual case. Returns <see langword="false"/> when the element is absent or does not fit.
    /// </summary>
    public bool TryGetString(DicomTag tag, Span<char> destination, out int charsWritten) => _elements.TryGetString(tag, destination, out charsWritten);

    /// <summary>
    /// An immutable copy of the elements among <paramref name="tags"/>, to keep after the next read. Returns
    /// <paramref name="previous"/> itself when it holds exactly these bytes, decoded the same way (the files of one series
    /// mostly share their series values), so a worker allocates a copy only when they change.
    /// </summary>
    public DicomValueSnapshot Snapshot(ReadOnlySpan<DicomTag> tags, DicomValueSnapshot? previous = null) =>
        previous is not null && _elements.IsCopiedIn(previous.Elements, tags) ? previous : new DicomValueSnapshot(_elements.CopyOf(tags));

    /// <summary>The result as a <see cref="DicomHeader"/>, every value decoded.</summary>
    public DicomHeader ToHeader() => Status == DicomHeaderStatus.Ok
        ? new DicomHeader(DicomHeaderStatus.Ok, null)
        {
            TransferSyntaxUid = TransferSyntaxUid,
            PixelDataOffset = PixelDataOffset,
            BytesExamined = BytesExamined,
            CharacterSetWarning = CharacterSetWarning,
            Elements = _elements.Decode(),
        }
        : DicomHeader.Failed(Status, Error!, TransferSyntaxUid, _elements.Decode());

    /// <summary>Starts a parse: forgets the last file and accepts up to <paramref name="requested"/> elements.</summary>
    internal void Begin(int requested)
    {
        _elements.Reset(requested);
        (Status, Error, TransferSyntaxUid, PixelDataOffset, BytesExamined, CharacterSetWarning) = (DicomHeaderStatus.Ok, null, null, null, 0, null);
        IsMediaStorageDirectory = false;
    }

    internal void Succeed(string? transferSyntaxUid, long? pixelDataOffset, int bytesExamined, string? characterSetWarning) =>
        (Status, Error, TransferSyntaxUid, PixelDataOffset, BytesExamined, CharacterSetWarning) =
        (DicomHeaderStatus.Ok, null, transferSyntaxUid, pixelDataOffset, bytesExamined, characterSetWarning);

    /// <summary>Marks the read failed; the elements read before the problem stay (for diagnosis), unless <paramref name="keepElements"/> is false.</summary>
    internal void Fail(DicomHeaderStatus status, DicomReadError error, string? transferSyntaxUid = null, bool keepElements = true)
    {
        if (!keepElements)
        {
            _elements.Reset(0);
        }

        (Status, Error, TransferSyntaxUid, PixelDataOffset, BytesExamined, CharacterSetWarning) = (status, error, transferSyntaxUid, null, 0, null);
    }
}
