namespace NasPacs.Smb.Tests;

/// <summary>Relative paths to share paths: the fast path for plain paths (issue #7) must agree with the general one.</summary>
public sealed class SmbPathTests
{
    [Theory]
    [InlineData("", "a/b.dcm", @"a\b.dcm")]
    [InlineData("", "b.dcm", "b.dcm")]
    [InlineData("dicom/2024", "a/b.dcm", @"dicom\2024\a\b.dcm")]
    [InlineData("/dicom/", "a b/%#é.dcm", @"dicom\a b\%#é.dcm")]
    [InlineData("dicom", "a//b.dcm", @"dicom\a\b.dcm")]
    [InlineData("dicom", "/a/b.dcm/", @"dicom\a\b.dcm")]
    [InlineData("dicom", "", "dicom")]
    [InlineData("", "", "")]
    public async Task ToSmbPath_RelativePath_JoinsUnderRootWithBackslashes(string root, string relative, string expected)
    {
        await using var source = NewSource(root);
        Assert.Equal(expected, source.ToSmbPath(relative));
    }

    [Theory]
    [InlineData("a/../b.dcm")]
    [InlineData("..")]
    [InlineData("a/./b.dcm")]
    [InlineData(@"a\b.dcm")]
    public async Task ToSmbPath_ClimbingOrBackslash_Throws(string relative)
    {
        await using var source = NewSource("dicom");
        Assert.Throws<ArgumentException>(() => source.ToSmbPath(relative));
    }

    private static SmbFileSource NewSource(string root) =>
        new(new SmbOptions { Host = "127.0.0.1", Share = "share", RootPath = root, User = "u", Password = "p" }, TimeProvider.System);
}
