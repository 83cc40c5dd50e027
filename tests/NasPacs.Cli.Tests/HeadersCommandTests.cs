using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using NasPacs.Cli;
using NasPacs.Cli.Commands;
using NasPacs.Dicom;
using NasPacs.Testing;
using NasPacs.Testing.Dicom;
using NasPacs.Testing.Oracle;

namespace NasPacs.Cli.Tests;

public class HeadersCommandTests
{
    private static async Task<(int ExitCode, List<JsonElement> Lines)> RunAsync(params string[] args)
    {
        var root = new RootCommand { HeadersCommand.Create() };
        using var output = new StringWriter();
        var exitCode = await root.Parse(["headers", .. args]).InvokeAsync(new InvocationConfiguration { Output = output });
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        return (exitCode, lines);
    }

    /// <summary>Runs <c>naspacs headers</c> as its own process, as a user would.</summary>
    private static async Task<(int ExitCode, string Stdout)> RunProcessAsync(params string[] paths)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "naspacs.dll"));
        start.ArgumentList.Add("headers");
        foreach (var path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, stdout);
    }

    private static byte[] SampleFile() => new DicomFileBuilder()
        .AddString(DicomTags.SpecificCharacterSet, "CS", "ISO_IR 100")
        .AddString(DicomTags.SopInstanceUid, "UI", "1.2.3.4")
        .AddString(DicomTags.Modality, "CS", "MR")
        .AddString(DicomTags.PatientName, "PN", "Doe^Jane")
        .AddString(new DicomTag(0x0008, 0x0008), "CS", "ORIGINAL\\PRIMARY")
        .AddString(DicomTags.StudyDescription, "LO", "")
        .AddString(DicomTags.InstanceNumber, "IS", "3\\4")
        .AddUInt16(DicomTags.Rows, 64)
        .Add(DicomTags.PixelData, "OW", new byte[64])
        .Build();

    [Fact]
    public async Task Headers_DicomFile_PrintsStatusTagsAndPixelDataOffset()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a.dcm");
        await File.WriteAllBytesAsync(path, SampleFile());

        var (exitCode, lines) = await RunAsync(path);

        Assert.Equal(ExitCodes.Ok, exitCode);
        var line = Assert.Single(lines);
        Assert.Equal(path, line.GetProperty("path").GetString());
        Assert.Equal("ok", line.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("error").ValueKind);
        Assert.True(line.GetProperty("pixelDataOffset").GetInt64() > 132);
        var tags = line.GetProperty("tags");
        Assert.Equal(DicomFileBuilder.ExplicitVRLittleEndian, tags.GetProperty("TransferSyntaxUID").GetString());
        Assert.Equal("Doe^Jane", tags.GetProperty("PatientName").GetString());
        Assert.Equal("64", tags.GetProperty("Rows").GetString());
        Assert.Equal("", tags.GetProperty("StudyDescription").GetString());
        Assert.Equal(["3", "4"], tags.GetProperty("InstanceNumber").EnumerateArray().Select(v => v.GetString()));
        Assert.False(tags.TryGetProperty("ImageType", out _), "Only the index tags are printed.");
    }

    [Fact]
    public async Task Headers_FolderWithBadFiles_ClassifiesEachAndExitsWithErrors()
    {
        using var folder = new TempFolder();
        var good = SampleFile();
        await File.WriteAllBytesAsync(folder.Combine("1-ok.dcm"), good);
        await File.WriteAllBytesAsync(folder.Combine("2-text.txt"), "not a DICOM file at all"u8.ToArray());
        await File.WriteAllBytesAsync(folder.Combine("3-cut.dcm"), good.AsSpan(0, 300).ToArray());
        await File.WriteAllBytesAsync(folder.Combine("sub/4-nested.dcm"), good);

        var (exitCode, flat) = await RunAsync(folder.Path);
        var (_, deep) = await RunAsync(folder.Path, "--recursive");

        Assert.Equal(ExitCodes.CompletedWithErrors, exitCode);
        Assert.Equal(["ok", "not-dicom", "truncated"], flat.Select(l => l.GetProperty("status").GetString()));
        Assert.Equal(4, deep.Count);
        var cut = flat[2].GetProperty("error");
        Assert.True(cut.GetProperty("offset").GetInt64() is > 0 and < 300);
        Assert.False(string.IsNullOrEmpty(cut.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Headers_MissingFile_PrintsErrorStatus()
    {
        var (exitCode, lines) = await RunAsync("/nonexistent/naspacs/file.dcm");
        Assert.Equal(ExitCodes.CompletedWithErrors, exitCode);
        Assert.Equal("error", Assert.Single(lines).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Headers_PydicomCorpusRecursive_PrintsOneLinePerFileAsTheReaderReadsIt()
    {
        var files = ReferenceTools.CorpusFilesOrFailUnderCI();
        if (files.Count == 0)
        {
            return; // outside CI without python3-pydicom: nothing to read
        }

        var (_, lines) = await RunAsync(PydicomOracle.CorpusRoot, "--recursive");

        Assert.Equal(files, lines.Select(l => l.GetProperty("path").GetString()));
        var japanese = lines.Single(l => l.GetProperty("path").GetString()!.EndsWith("chrH31.dcm", StringComparison.Ordinal));
        var reader = new DicomHeaderReader();
        Assert.Equal(reader.ReadFile(japanese.GetProperty("path").GetString()!).GetString(DicomTags.PatientName),
            japanese.GetProperty("tags").GetProperty("PatientName").GetString());
        foreach (var line in lines)
        {
            // The command reports what the indexer's reader gets, including rtplan_truncated.dcm, cut after the index tags.
            var status = reader.ReadFile(line.GetProperty("path").GetString()!).Status switch
            {
                DicomHeaderStatus.Ok => "ok",
                DicomHeaderStatus.NotDicom => "not-dicom",
                DicomHeaderStatus.Truncated => "truncated",
                _ => "malformed",
            };
            Assert.Equal(status, line.GetProperty("status").GetString());
        }

        Assert.Contains(lines, l => l.GetProperty("status").GetString() == "not-dicom");
        Assert.True(lines.Count(l => l.GetProperty("status").GetString() == "ok") > 150);
    }

    [Fact]
    public async Task Naspacs_HeadersAsAProcess_WritesJsonLinesToStdout()
    {
        using var folder = new TempFolder();
        var path = folder.Combine("a.dcm");
        await File.WriteAllBytesAsync(path, SampleFile());
        var (exitCode, stdout) = await RunProcessAsync(path);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(stdout.Trim());
        Assert.Equal("MR", json.RootElement.GetProperty("tags").GetProperty("Modality").GetString());
    }

    [Fact]
    public async Task Naspacs_HeadersAsAProcessWithANonDicomInput_ExitsWithErrorsAsIndexDoes()
    {
        using var folder = new TempFolder();
        var dicom = folder.Combine("a.dcm");
        var text = folder.Combine("notes.dcm");
        await File.WriteAllBytesAsync(dicom, SampleFile());
        await File.WriteAllTextAsync(text, "not a DICOM file");
        var (exitCode, stdout) = await RunProcessAsync(dicom, text);

        // The same exit code as an index run that met a file with a DICOM name that is not DICOM: the inputs had errors.
        Assert.Equal(ExitCodes.CompletedWithErrors, exitCode);
        var statuses = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("status").GetString()).ToList();
        Assert.Equal(["ok", "not-dicom"], statuses);
    }
}
