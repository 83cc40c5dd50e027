using NasPacs.Abstractions.Indexing;
using NasPacs.Sharing.Zip;

namespace NasPacs.Sharing.Tests.Zip;

public sealed class ZipEntryNamesTests
{
    [Theory]
    [InlineData("../../etc/passwd", "etc_passwd")]
    [InlineData("..", "x")]
    [InlineData("/abs/path", "abs_path")]
    [InlineData("C:\\Windows", "C__Windows")]
    [InlineData("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h")]
    [InlineData("tab\there\u0001", "tab_here")]
    [InlineData("trailing dot. ", "trailing_dot")]
    [InlineData("CON", "_CON")]
    [InlineData("lpt1.txt", "_lpt1.txt")]
    [InlineData("   ", "x")]
    [InlineData(null, "x")]
    [InlineData("Cafe\u0301", "Café")]
    public void Part_UnsafeValue_BecomesSafeComponent(string? value, string expected)
        => Assert.Equal(expected, ZipEntryNames.Part(value, "x"));

    [Fact]
    public void Part_LongValue_CutAt64WithoutHalfASurrogatePair()
    {
        var value = new string('a', 63) + "😀" + "tail";

        var part = ZipEntryNames.Part(value, "x");

        Assert.Equal(new string('a', 63), part);
    }

    [Fact]
    public void Folder_MissingValues_UsesFallbacks()
        => Assert.Equal("unknown_nodate/0_CT/", ZipEntryNames.Folder(new SeriesSummary { SeriesKey = "k", Modality = "CT" }));

    [Theory]
    [InlineData(1, 5, "IM_00001.dcm")]
    [InlineData(123456, 6, "IM_123456.dcm")]
    public void File_Numbered_IsZeroPadded(int number, int width, string expected) => Assert.Equal(expected, ZipEntryNames.File(number, width));

    [Theory]
    [InlineData(1, 5)]
    [InlineData(99_999, 5)]
    [InlineData(100_000, 6)]
    public void Width_ForCount_AtLeastFive(long count, int expected) => Assert.Equal(expected, ZipEntryNames.Width(count));
}
