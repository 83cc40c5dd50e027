using NasPacs.Indexing.Pipeline;

namespace NasPacs.Indexing.Tests;

public class SeriesKeysTests
{
    [Fact]
    public void Create_WithSeriesUid_IsTheUid()
        => Assert.Equal("1.2.3.4", SeriesKeys.Create(" 1.2.3.4 ", "9.9", "2", "CT", "p/s"));

    [Fact]
    public void Create_WithoutSeriesUid_UsesStudySeriesNumberAndModality()
        => Assert.Equal("study:9.9|2|CT", SeriesKeys.Create(null, "9.9", "2", "CT", "p/s"));

    [Fact]
    public void Create_WithoutAnyUid_UsesTheFolder()
        => Assert.Equal("folder:p/s", SeriesKeys.Create("", null, "2", "CT", "p/s"));
}
