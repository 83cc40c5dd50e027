namespace NasPacs.Dicom.Tests;

public class DicomVRTests
{
    // PS3.5 §7.1.2: the VRs whose explicit VR encoding has two reserved bytes and a 32-bit length.
    private static readonly string[] LongLengthVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    [Fact]
    public void HasLongLength_EveryTwoByteCode_TrueExactlyForTheLongFormVRs()
    {
        // The lookup table must agree with the standard's list for every code a file can hold, known VR or garbage.
        var expected = LongLengthVRs.Select(vr => (ushort)((vr[0] << 8) | vr[1])).ToHashSet();
        var mismatches = Enumerable.Range(0, 0x10000)
            .Where(code => DicomVR.HasLongLength((ushort)code) != expected.Contains((ushort)code))
            .Select(code => $"{code:X4}")
            .ToList();

        Assert.Empty(mismatches);
        Assert.All(expected, code => Assert.True(DicomVR.IsKnown(code)));
    }
}
