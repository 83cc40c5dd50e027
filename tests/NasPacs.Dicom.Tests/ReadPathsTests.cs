using NasPacs.Testing.Dicom;
using NasPacs.Testing.Oracle;

namespace NasPacs.Dicom.Tests;

/// <summary>Read(span), ReadFile and ReadAsync (to a DicomHeader, and to a reused DicomHeaderValues) with a small first read agree on every corpus file.</summary>
public class ReadPathsTests
{
    [Fact]
    public async Task ReadAsyncReadFileAndRead_EveryCorpusFile_Agree()
    {
        var files = ReferenceTools.CorpusFilesOrFailUnderCI();
        if (files.Count == 0)
        {
            return; // outside CI without python3-pydicom: nothing to read
        }

        var options = new DicomHeaderReaderOptions { Tags = [.. DicomTags.IndexTags, DicomTags.PixelData], InitialReadSize = 256 };
        var reader = new DicomHeaderReader(options);
        var values = new DicomHeaderValues();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            var whole = reader.Read(bytes);
            var fromFile = reader.ReadFile(file);
            var reads = 0;
            var fromPrefix = await reader.ReadAsync(InMemoryPrefix.Of(bytes, _ => reads++));
            await reader.ReadAsync(InMemoryPrefix.Of(bytes), values);
            var fromValues = values.ToHeader();

            foreach (var other in new[] { fromFile, fromPrefix, fromValues })
            {
                Assert.True(whole.Status == other.Status, $"{file}: {whole.Status} vs {other.Status} ({other.Error})");
                Assert.Equal(whole.TransferSyntaxUid, other.TransferSyntaxUid);
                Assert.Equal(whole.PixelDataOffset, other.PixelDataOffset);
                Assert.Equal(whole.CharacterSetWarning, other.CharacterSetWarning);
                Assert.Equal(whole.Elements.OrderBy(e => e.Key).Select(e => (e.Key, string.Join('\\', e.Value))),
                    other.Elements.OrderBy(e => e.Key).Select(e => (e.Key, string.Join('\\', e.Value))));
            }

            Assert.True(reads < 16, $"{file}: {reads} prefix reads.");
        }
    }
}
