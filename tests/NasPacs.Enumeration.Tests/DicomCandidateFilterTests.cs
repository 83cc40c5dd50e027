using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration.Tests;

public class DicomCandidateFilterTests
{
    [Theory]
    [InlineData("a/IM0001.dcm", CandidateKind.Candidate)]
    [InlineData("a/IM0001.DCM", CandidateKind.Candidate)]
    [InlineData("a/b/scan.dicom", CandidateKind.Candidate)]
    [InlineData("siemens/1.IMA", CandidateKind.Candidate)]
    [InlineData("a/IM0001", CandidateKind.Candidate)]
    [InlineData("a/1.2.840.113619.2.55.3.604688119.868", CandidateKind.Candidate)]
    [InlineData("a/report.pdf", CandidateKind.Skip)]
    [InlineData("a/notes.txt", CandidateKind.Skip)]
    [InlineData("a/image.jpg", CandidateKind.Skip)]
    [InlineData("cd/DICOMDIR", CandidateKind.DicomDir)]
    [InlineData("dicomdir", CandidateKind.DicomDir)]
    public void Classify_DesignRules_ReturnsKind(string path, CandidateKind expected)
    {
        var filter = new DicomCandidateFilter(new CandidateFilterOptions());
        Assert.Equal(expected, filter.Classify(path));
    }

    [Fact]
    public void Classify_ExcludeGlob_SkipsDicomExtension()
    {
        var options = new CandidateFilterOptions();
        options.ExcludeGlobs.Add("**/scouts/**");
        var filter = new DicomCandidateFilter(options);
        Assert.Equal(CandidateKind.Skip, filter.Classify("p/study/scouts/IM1.dcm"));
        Assert.Equal(CandidateKind.Candidate, filter.Classify("p/study/axial/IM1.dcm"));
    }

    [Fact]
    public void Classify_IncludeGlob_AddsOtherExtension()
    {
        var options = new CandidateFilterOptions();
        options.IncludeGlobs.Add("**/*.img");
        var filter = new DicomCandidateFilter(options);
        Assert.Equal(CandidateKind.Candidate, filter.Classify("old/scanner/0001.img"));
        Assert.Equal(CandidateKind.Skip, filter.Classify("old/scanner/0001.bmp"));
    }

    [Fact]
    public void Classify_WithoutExtensionDisabled_SkipsBareNames()
    {
        var options = new CandidateFilterOptions { IncludeFilesWithoutExtension = false };
        var filter = new DicomCandidateFilter(options);
        Assert.Equal(CandidateKind.Skip, filter.Classify("a/IM0001"));
        Assert.Equal(CandidateKind.Candidate, filter.Classify("a/IM0001.dcm"));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("patient/@eaDir", false)]
    [InlineData("#recycle", false)]
    [InlineData("a/System Volume Information", false)]
    [InlineData("a/b/study", true)]
    public void ShouldEnterDirectory_NasHousekeepingFolders_AreSkipped(string path, bool expected)
    {
        var filter = new DicomCandidateFilter(new CandidateFilterOptions());
        Assert.Equal(expected, filter.ShouldEnterDirectory(path));
    }
}
