using System.Collections.Frozen;

namespace NasPacs.Dicom;

/// <summary>The tags NasPacs indexes, with their keywords and VRs as PS3.6 names them.</summary>
public static class DicomTags
{
    /// <summary>(0002,0002) UI Media Storage SOP Class UID, VM 1, file meta group.</summary>
    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);

    /// <summary>(0002,0010) UI Transfer Syntax UID, VM 1, file meta group.</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    /// <summary>(0008,0005) CS Specific Character Set, VM 1-n.</summary>
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>(0008,0016) UI SOP Class UID, VM 1.</summary>
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);

    /// <summary>(0008,0018) UI SOP Instance UID, VM 1.</summary>
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>(0008,0020) DA Study Date, VM 1.</summary>
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);

    /// <summary>(0008,0021) DA Series Date, VM 1.</summary>
    public static readonly DicomTag SeriesDate = new(0x0008, 0x0021);

    /// <summary>(0008,0030) TM Study Time, VM 1.</summary>
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);

    /// <summary>(0008,0050) SH Accession Number, VM 1.</summary>
    public static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);

    /// <summary>(0008,0060) CS Modality, VM 1.</summary>
    public static readonly DicomTag Modality = new(0x0008, 0x0060);

    /// <summary>(0008,0080) LO Institution Name, VM 1.</summary>
    public static readonly DicomTag InstitutionName = new(0x0008, 0x0080);

    /// <summary>(0008,0090) PN Referring Physician's Name, VM 1.</summary>
    public static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);

    /// <summary>(0008,1030) LO Study Description, VM 1.</summary>
    public static readonly DicomTag StudyDescription = new(0x0008, 0x1030);

    /// <summary>(0008,103E) LO Series Description, VM 1.</summary>
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);

    /// <summary>(0010,0010) PN Patient's Name, VM 1.</summary>
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);

    /// <summary>(0010,0020) LO Patient ID, VM 1.</summary>
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);

    /// <summary>(0010,0030) DA Patient's Birth Date, VM 1.</summary>
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);

    /// <summary>(0010,0040) CS Patient's Sex, VM 1.</summary>
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);

    /// <summary>(0018,0015) CS Body Part Examined, VM 1.</summary>
    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);

    /// <summary>(0020,000D) UI Study Instance UID, VM 1.</summary>
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);

    /// <summary>(0020,000E) UI Series Instance UID, VM 1.</summary>
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);

    /// <summary>(0020,0010) SH Study ID, VM 1.</summary>
    public static readonly DicomTag StudyId = new(0x0020, 0x0010);

    /// <summary>(0020,0011) IS Series Number, VM 1.</summary>
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);

    /// <summary>(0020,0013) IS Instance Number, VM 1.</summary>
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);

    /// <summary>(0028,0008) IS Number of Frames, VM 1.</summary>
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);

    /// <summary>(0028,0010) US Rows, VM 1.</summary>
    public static readonly DicomTag Rows = new(0x0028, 0x0010);

    /// <summary>(0028,0011) US Columns, VM 1.</summary>
    public static readonly DicomTag Columns = new(0x0028, 0x0011);

    /// <summary>(7FE0,0010) OB/OW Pixel Data: never read, only located.</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>The dataset tags an index needs, in dataset order (the transfer syntax comes from <see cref="DicomHeader.TransferSyntaxUid"/>).</summary>
    public static IReadOnlyList<DicomTag> IndexTags { get; } =
    [
        SpecificCharacterSet, SopClassUid, SopInstanceUid, StudyDate, SeriesDate, StudyTime, AccessionNumber, Modality,
        InstitutionName, ReferringPhysicianName, StudyDescription, SeriesDescription, PatientName, PatientId, PatientBirthDate,
        PatientSex, BodyPartExamined, StudyInstanceUid, SeriesInstanceUid, StudyId, SeriesNumber, InstanceNumber,
        NumberOfFrames, Rows, Columns,
    ];

    // Keyword and VR of each tag we know (PS3.6). Only requested tags are decoded, so only they need a VR in implicit VR.
    private static readonly FrozenDictionary<DicomTag, (string Keyword, ushort VR)> Dictionary = new Dictionary<DicomTag, (string, ushort)>
    {
        [TransferSyntaxUid] = ("TransferSyntaxUID", DicomVR.UI),
        [SpecificCharacterSet] = ("SpecificCharacterSet", DicomVR.CS),
        [SopClassUid] = ("SOPClassUID", DicomVR.UI),
        [SopInstanceUid] = ("SOPInstanceUID", DicomVR.UI),
        [StudyDate] = ("StudyDate", DicomVR.DA),
        [SeriesDate] = ("SeriesDate", DicomVR.DA),
        [StudyTime] = ("StudyTime", DicomVR.TM),
        [AccessionNumber] = ("AccessionNumber", DicomVR.SH),
        [Modality] = ("Modality", DicomVR.CS),
        [InstitutionName] = ("InstitutionName", DicomVR.LO),
        [ReferringPhysicianName] = ("ReferringPhysicianName", DicomVR.PN),
        [StudyDescription] = ("StudyDescription", DicomVR.LO),
        [SeriesDescription] = ("SeriesDescription", DicomVR.LO),
        [PatientName] = ("PatientName", DicomVR.PN),
        [PatientId] = ("PatientID", DicomVR.LO),
        [PatientBirthDate] = ("PatientBirthDate", DicomVR.DA),
        [PatientSex] = ("PatientSex", DicomVR.CS),
        [BodyPartExamined] = ("BodyPartExamined", DicomVR.CS),
        [StudyInstanceUid] = ("StudyInstanceUID", DicomVR.UI),
        [SeriesInstanceUid] = ("SeriesInstanceUID", DicomVR.UI),
        [StudyId] = ("StudyID", DicomVR.SH),
        [SeriesNumber] = ("SeriesNumber", DicomVR.IS),
        [InstanceNumber] = ("InstanceNumber", DicomVR.IS),
        [NumberOfFrames] = ("NumberOfFrames", DicomVR.IS),
        [Rows] = ("Rows", DicomVR.US),
        [Columns] = ("Columns", DicomVR.US),
        [PixelData] = ("PixelData", DicomVR.OW),
    }.ToFrozenDictionary();

    /// <summary>Finds the PS3.6 keyword of a known tag.</summary>
    public static bool TryGetKeyword(DicomTag tag, out string keyword)
    {
        var found = Dictionary.TryGetValue(tag, out var entry);
        keyword = found ? entry.Keyword : "";
        return found;
    }

    /// <summary>The VR PS3.6 gives a tag, or <see cref="DicomVR.UN"/> for tags we do not know (as pydicom reads private tags).</summary>
    internal static ushort GetVR(DicomTag tag) => Dictionary.TryGetValue(tag, out var entry) ? entry.VR : DicomVR.UN;
}
