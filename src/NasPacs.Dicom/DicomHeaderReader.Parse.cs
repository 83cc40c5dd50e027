using System.Buffers;
using System.IO.Compression;

namespace NasPacs.Dicom;

public sealed partial class DicomHeaderReader
{
    private const int PreambleLength = 128;
    private const int DatasetAfterDicm = PreambleLength + 4;

    /// <summary>
    /// Parses one prefix into <paramref name="result"/>; <see langword="false"/> with <paramref name="bytesNeeded"/> when more
    /// of the file is needed.
    /// </summary>
    private bool Parse(ReadOnlySpan<byte> file, bool isEndOfFile, DicomHeaderValues result, out long bytesNeeded)
    {
        bytesNeeded = 0;
        result.Begin(_requested.Length);
        if (file.Length < DatasetAfterDicm && !isEndOfFile)
        {
            bytesNeeded = DatasetAfterDicm;
            return false;
        }

        // PS3.10 §7.1: a 128-byte preamble, "DICM", then the file meta group.
        var isPart10 = file.Length >= DatasetAfterDicm && file.Slice(PreambleLength, 4).SequenceEqual("DICM"u8);
        var start = isPart10 ? DatasetAfterDicm : 0;
        if (!isPart10 && !LooksLikeRawDataset(file))
        {
            result.Fail(DicomHeaderStatus.NotDicom, new DicomReadError(
                file.IsEmpty ? "The file is empty." : "No DICM prefix at offset 128 and the first bytes are not a DICOM data element.", 0));
            return true;
        }

        var parser = new DicomDatasetParser(file, isEndOfFile, _requested, result.Elements);
        var step = parser.ReadMetaGroup(start, out var transferSyntaxUid, out var isDirectory);
        result.IsMediaStorageDirectory = isDirectory;
        if (step != ReadStep.Ok)
        {
            return Finish(ref parser, step, isEndOfFile, null, result, ref bytesNeeded);
        }

        var datasetStart = parser.Position;
        var syntax = transferSyntaxUid is null ? TransferSyntax.Detect(file[datasetStart..]) : TransferSyntax.FromUid(transferSyntaxUid);
        if (syntax.Deflated)
        {
            return ParseDeflated(file, datasetStart, isEndOfFile, syntax, result, ref bytesNeeded);
        }

        step = parser.ReadDataset(datasetStart, syntax.ExplicitVR, syntax.BigEndian);
        if (step == ReadStep.Malformed && !isPart10 && !parser.ReadAnyElement)
        {
            result.Fail(DicomHeaderStatus.NotDicom, new DicomReadError("The first bytes are not a DICOM data element.", 0), keepElements: false);
            return true;
        }

        return Finish(ref parser, step, isEndOfFile, syntax.Uid, result, ref bytesNeeded);
    }

    private bool Finish(ref DicomDatasetParser parser, ReadStep step, bool endOfData, string? transferSyntaxUid, DicomHeaderValues result,
        ref long bytesNeeded, int? deflatedBytes = null)
    {
        var where = deflatedBytes is not null ? " (offset in the inflated dataset)" : "";
        switch (step)
        {
            case ReadStep.Ok:
                result.Succeed(transferSyntaxUid, deflatedBytes is null ? parser.PixelDataOffset : null, deflatedBytes ?? parser.Position, parser.Charset.Warning);
                return true;
            case ReadStep.NeedMore when parser.BytesNeeded > Options.MaxHeaderSize:
                // A declared length that no header of this size can hold (0xFFFFFFF0, say) is malformed, file end or not.
                result.Fail(DicomHeaderStatus.Malformed, new DicomReadError(
                    $"A length at this offset runs to byte {parser.BytesNeeded}, past MaxHeaderSize ({Options.MaxHeaderSize}){where}.",
                    parser.ErrorOffset, parser.ErrorTag), transferSyntaxUid);
                return true;
            case ReadStep.NeedMore when !endOfData:
                bytesNeeded = parser.BytesNeeded;
                return false;
            default:
                result.Fail(
                    step == ReadStep.Malformed ? DicomHeaderStatus.Malformed : DicomHeaderStatus.Truncated,
                    new DicomReadError(parser.ErrorMessage + where, parser.ErrorOffset, parser.ErrorTag),
                    transferSyntaxUid);
                return true;
        }
    }

    /// <summary>
    /// Deflated explicit VR little endian (PS3.5 §A.5): everything after the meta group is a raw deflate stream. Inflates into
    /// a rented buffer only as far as the parse needs, doubling it while the header goes on.
    /// </summary>
    private bool ParseDeflated(ReadOnlySpan<byte> file, int datasetStart, bool isEndOfFile, TransferSyntax syntax, DicomHeaderValues result,
        ref long bytesNeeded)
    {
        var compressed = file[datasetStart..];
        var input = ArrayPool<byte>.Shared.Rent(Math.Max(compressed.Length, 1));
        var output = ArrayPool<byte>.Shared.Rent(Options.InitialReadSize);
        try
        {
            compressed.CopyTo(input);
            using var stream = new DeflateStream(new MemoryStream(input, 0, compressed.Length, writable: false), CompressionMode.Decompress);
            var inflated = 0;
            var ended = false;
            while (true)
            {
                while (!ended && inflated < output.Length)
                {
                    var read = stream.Read(output, inflated, output.Length - inflated);
                    ended = read == 0;
                    inflated += read;
                }

                // The stream may end only because the prefix did: then the data ends only if the file does.
                var endOfData = ended && isEndOfFile;
                var parser = new DicomDatasetParser(output.AsSpan(0, inflated), endOfData, _requested, result.Elements);
                var step = parser.ReadDataset(0, syntax.ExplicitVR, syntax.BigEndian);
                if (step != ReadStep.NeedMore || endOfData)
                {
                    return Finish(ref parser, step, endOfData, syntax.Uid, result, ref bytesNeeded, file.Length);
                }

                if (ended)
                {
                    // More compressed bytes are needed.
                    bytesNeeded = 2L * file.Length;
                    return false;
                }

                if (output.Length >= Options.MaxHeaderSize)
                {
                    result.Fail(DicomHeaderStatus.Malformed, new DicomReadError(
                        $"The inflated header goes on past {Options.MaxHeaderSize} bytes (MaxHeaderSize).", null), keepElements: false);
                    return true;
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Options.MaxHeaderSize, output.Length * 2));
                output.AsSpan(0, inflated).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(output);
                output = larger;
            }
        }
        catch (InvalidDataException)
        {
            result.Fail(DicomHeaderStatus.Malformed, new DicomReadError("The deflated dataset is corrupt.", null), syntax.Uid, keepElements: false);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    /// <summary>
    /// Whether a file without preamble starts like a dataset: the first tag, read in the byte order pydicom would guess,
    /// is in group 0000, 0002, 0004 or 0008, where every dataset of older modalities starts.
    /// </summary>
    private static bool LooksLikeRawDataset(ReadOnlySpan<byte> file)
    {
        // A zero-filled start is a preamble cut short (or an empty disk block), not a dataset.
        if (file.Length < 8 || !file[..8].ContainsAnyExcept((byte)0))
        {
            return false;
        }

        var syntax = TransferSyntax.Detect(file);
        var group = syntax.BigEndian ? (file[0] << 8) | file[1] : file[0] | (file[1] << 8);
        return group is 0x0000 or 0x0002 or 0x0004 or 0x0008;
    }
}
