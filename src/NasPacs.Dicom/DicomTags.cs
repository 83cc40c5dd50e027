namespace NasPacs.Dicom;

/// <summary>The tags NasPacs indexes, with their keywords as PS3.6 names them.</summary>
public static class DicomTags
{
    // CONTRACT PLACEHOLDER — the header reader work of issue #2 completes this list (see the "Values returned").

    /// <summary>(0002,0010) UI Transfer Syntax UID, file meta group.</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    /// <summary>(0008,0005) CS Specific Character Set, VM 1-n.</summary>
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>(0020,000E) UI Series Instance UID.</summary>
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);

    /// <summary>(7FE0,0010) OB/OW Pixel Data: never read, only located.</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>The dataset tags an index needs, in dataset order.</summary>
    public static IReadOnlyList<DicomTag> IndexTags { get; } = [SpecificCharacterSet, SeriesInstanceUid];

    /// <summary>Finds the PS3.6 keyword of a known tag.</summary>
    public static bool TryGetKeyword(DicomTag tag, out string keyword)
    {
        keyword = tag == SpecificCharacterSet ? "SpecificCharacterSet" : tag == SeriesInstanceUid ? "SeriesInstanceUID" : tag == TransferSyntaxUid ? "TransferSyntaxUID" : "";
        return keyword.Length > 0;
    }
}
