using System.IO.Pipelines;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Sharing.Zip;

/// <summary>Writes one series as a zip straight to a stream: no temporary file, memory independent of the series' size.</summary>
public interface ISeriesZipStreamer
{
    /// <summary>
    /// Writes the series' files (in index order, named <c>{PatientID}_{StudyDate}/{SeriesNumber}_{SeriesDescription}/IM_00001.dcm</c>)
    /// to <paramref name="destination"/> (an HTTP response's body writer, or <see cref="PipeWriter.Create(Stream, StreamPipeWriterOptions?)"/>
    /// over a stream), flushing as it goes; completing the writer is the caller's. Files that changed or vanished since indexing
    /// are listed in a <c>MISSING.txt</c> entry instead. Cancelling, or the writer's reader going away, stops the reads at once.
    /// </summary>
    Task<ZipStreamResult> WriteAsync(PipeWriter destination, SeriesZipRequest request, CancellationToken cancellationToken = default);

    /// <summary>A download file name for the series that carries no patient data (<c>series_{StudyDate}_{SeriesNumber}.zip</c>).</summary>
    string ArchiveFileName(SeriesSummary series);
}

/// <summary>What to zip.</summary>
/// <param name="Series">The series as the index holds it.</param>
/// <param name="Index">The index of the series' root (for its files, sizes and times).</param>
/// <param name="Source">The series' root, for reading the files.</param>
/// <param name="Compression">How the files are stored.</param>
public sealed record SeriesZipRequest(SeriesSummary Series, IIndexQuery Index, IFileSource Source, ShareCompression Compression = ShareCompression.Stored);

/// <summary>What a zip held.</summary>
/// <param name="FilesWritten">Files included whole.</param>
/// <param name="FilesMissing">Files listed in <c>MISSING.txt</c>.</param>
/// <param name="BytesRead">Bytes read from the NAS.</param>
public sealed record ZipStreamResult(int FilesWritten, int FilesMissing, long BytesRead);
