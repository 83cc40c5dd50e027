namespace NasPacs.Dicom;

/// <summary>How a dataset is encoded (PS3.5 §10 and Annex A).</summary>
/// <param name="Uid">The transfer syntax UID.</param>
/// <param name="ExplicitVR">Whether elements carry their VR (§7.1.2) or not (§7.1.3).</param>
/// <param name="BigEndian">Whether numbers are big endian (§7.3; only the retired explicit VR big endian syntax).</param>
/// <param name="Deflated">Whether the dataset after the meta group is deflated (§A.5).</param>
internal readonly record struct TransferSyntax(string Uid, bool ExplicitVR, bool BigEndian, bool Deflated)
{
    public const string ImplicitVRLittleEndianUid = "1.2.840.10008.1.2";
    public const string ExplicitVRLittleEndianUid = "1.2.840.10008.1.2.1";
    public const string ExplicitVRBigEndianUid = "1.2.840.10008.1.2.2";
    public const string DeflatedExplicitVRLittleEndianUid = "1.2.840.10008.1.2.1.99";

    public static readonly TransferSyntax ImplicitVRLittleEndian = new(ImplicitVRLittleEndianUid, false, false, false);
    public static readonly TransferSyntax ExplicitVRLittleEndian = new(ExplicitVRLittleEndianUid, true, false, false);
    public static readonly TransferSyntax ExplicitVRBigEndian = new(ExplicitVRBigEndianUid, true, true, false);

    /// <summary>
    /// The encoding of a transfer syntax UID. Every syntax not named here (JPEG, JPEG-LS, JPEG 2000, RLE, MPEG, HTJ2K …)
    /// encodes its dataset as explicit VR little endian (PS3.5 §A.4).
    /// </summary>
    public static TransferSyntax FromUid(string uid) => uid switch
    {
        ImplicitVRLittleEndianUid => ImplicitVRLittleEndian,
        ExplicitVRLittleEndianUid => ExplicitVRLittleEndian,
        ExplicitVRBigEndianUid => ExplicitVRBigEndian,
        DeflatedExplicitVRLittleEndianUid => new(DeflatedExplicitVRLittleEndianUid, true, false, true),
        _ => new(uid, true, false, false),
    };

    // The UIDs most files carry, so that reading them allocates nothing.
    private static readonly string[] CommonUids =
    [
        ImplicitVRLittleEndianUid, ExplicitVRLittleEndianUid, ExplicitVRBigEndianUid, DeflatedExplicitVRLittleEndianUid,
        "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
        "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
        "1.2.840.10008.1.2.5",
    ];

    /// <summary>The UID in a (0002,0010) value, padding removed; a shared string for the common syntaxes.</summary>
    public static string UidFromValue(ReadOnlySpan<byte> value)
    {
        value = value.TrimEnd(" \0"u8);
        foreach (var uid in CommonUids)
        {
            if (value.Length == uid.Length && System.Text.Ascii.Equals(value, uid))
            {
                return uid;
            }
        }

        return System.Text.Encoding.Latin1.GetString(value);
    }

    /// <summary>
    /// Guesses the encoding of a dataset from its first element as pydicom does (filereader.read_partial): a known VR after
    /// the tag means explicit VR; a group that reads as 1024 or more in little endian means big endian.
    /// </summary>
    public static TransferSyntax Detect(ReadOnlySpan<byte> first)
    {
        if (first.Length < 6)
        {
            return ImplicitVRLittleEndian;
        }

        var vr = (ushort)((first[4] << 8) | first[5]);
        if (!DicomVR.IsKnown(vr))
        {
            return ImplicitVRLittleEndian;
        }

        var group = first[0] | (first[1] << 8);
        return group >= 1024 ? ExplicitVRBigEndian : ExplicitVRLittleEndian;
    }
}
