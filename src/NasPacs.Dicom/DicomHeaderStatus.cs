namespace NasPacs.Dicom;

/// <summary>The outcome of reading a header. Only <see cref="Ok"/> carries values you can trust.</summary>
public enum DicomHeaderStatus
{
    /// <summary>Every requested element that the file has was read.</summary>
    Ok,

    /// <summary>The bytes are not a DICOM file (no <c>DICM</c> and no plausible raw dataset).</summary>
    NotDicom,

    /// <summary>The file ends inside the header.</summary>
    Truncated,

    /// <summary>The header breaks the encoding rules at <see cref="DicomReadError.Offset"/>.</summary>
    Malformed,
}
