using NasPacs.Dicom;

namespace NasPacs.Dicom.Tests;

public class DicomTagTests
{
    [Fact]
    public void ToString_PrintsGroupAndElementAsTheStandardDoes()
    {
        Assert.Equal("(0020,000D)", new DicomTag(0x0020, 0x000D).ToString());
    }

    [Fact]
    public void CompareTo_OrdersByGroupThenElement()
    {
        var tags = new[] { new DicomTag(0x7FE0, 0x0010), new DicomTag(0x0008, 0x0060), new DicomTag(0x0008, 0x0005) };
        Array.Sort(tags);
        Assert.Equal([new DicomTag(0x0008, 0x0005), new DicomTag(0x0008, 0x0060), new DicomTag(0x7FE0, 0x0010)], tags);
    }

    [Fact]
    public void FromValue_RoundTripsValue()
    {
        var tag = DicomTag.FromValue(0x0029_1010);
        Assert.Equal(new DicomTag(0x0029, 0x1010), tag);
        Assert.True(tag.IsPrivate);
        Assert.Equal(0x0029_1010u, tag.Value);
    }
}
