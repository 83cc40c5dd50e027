using System.Globalization;
using System.Runtime.ExceptionServices;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using Polly;

namespace NasPacs.Indexing.Pipeline;

/// <summary>Reads one file's header through the file source and turns the outcome into a <see cref="FileResult"/>. Thread-safe.</summary>
internal sealed class HeaderWorker(IFileSource source, DicomHeaderReader reader, Lazy<ResiliencePipeline> retry, Throttle throttle, TimeProvider time)
{
    // One state per thread, taken for the length of a read: a read allocates nothing for its header but what the index
    // keeps. Per thread rather than from a shared queue, so that the files of one batch (read in turn on one thread)
    // meet the state that read the previous file of their series and share its key and series values (a queue handed
    // each read the least recently used state, and the sharing mostly missed).
    [ThreadStatic]
    private static ReadState? t_state;

    public async ValueTask<FileResult> ReadAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var state = t_state ?? new ReadState();
        t_state = null;
        state.Start(source, item.Entry.RelativePath, item.Entry.Size);
        try
        {
            return await ReadCoreAsync(state, item, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Possibly another thread after an asynchronous read: any thread's slot will do.
            state.Finish();
            t_state = state;
        }
    }

    private async ValueTask<FileResult> ReadCoreAsync(ReadState state, WorkItem item, CancellationToken cancellationToken)
    {
        var path = item.Entry.RelativePath;
        try
        {
            try
            {
                // The first attempt goes straight to the reader: the retry pipeline costs more than a warm-cache read.
                state.Attempts++;
                await reader.ReadAsync(state.ReadPrefix, state.Header, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await RetryAsync(state, ex, cancellationToken).ConfigureAwait(false);
            }

            throttle.AddBytes(state.Bytes);
            return FromHeader(item, state, state.Bytes);
        }
        catch (FileSourceException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throttle.AddBytes(state.Bytes);
            if (ex.Code == ErrorCodes.FileVanished)
            {
                return new FileResult(item, IndexedFileState.Unreadable, null, null, null, null, null, null, Vanished: true, state.Bytes);
            }

            var error = new ErrorReport(ex.Category, ex.Code, ex.Message, SuggestionFor(ex.Code), path, time.GetUtcNow(), state.Attempts - 1, ex.IsTransient);
            return new FileResult(item, IndexedFileState.Unreadable, null, null, null, null, null, error, Vanished: false, state.Bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            // A source that lets a raw .NET exception through still gets a classified report.
            var (code, transient) = ex is UnauthorizedAccessException ? (ErrorCodes.AccessDenied, false) : (ErrorCodes.FileUnreadable, true);
            var error = new ErrorReport(ErrorCategory.FileSystem, code, $"The file could not be read: {ex.Message}", SuggestionFor(code), path, time.GetUtcNow(), state.Attempts - 1, transient);
            return new FileResult(item, IndexedFileState.Unreadable, null, null, null, null, null, error, Vanished: false, state.Bytes);
        }
    }

    /// <summary>
    /// The retry pipeline sees the failed first attempt as its own first attempt, then backs off and retries. Kept apart
    /// from the read: variables its lambda captures made the read allocate a closure for every file.
    /// </summary>
    private async ValueTask RetryAsync(ReadState state, Exception firstFailure, CancellationToken cancellationToken)
    {
        Exception? first = firstFailure;
        await retry.Value.ExecuteAsync(
            async ct =>
            {
                if (Interlocked.Exchange(ref first, null) is { } failed)
                {
                    ExceptionDispatchInfo.Throw(failed);
                }

                state.Attempts++;
                await reader.ReadAsync(state.ReadPrefix, state.Header, ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private FileResult FromHeader(WorkItem item, ReadState state, long bytes)
    {
        var header = state.Header;
        var path = item.Entry.RelativePath;
        switch (header.Status)
        {
            case DicomHeaderStatus.Ok when header.IsMediaStorageDirectory:
                // A DICOMDIR named otherwise (DICOMDIR.dcm, a copy with a suffix): a directory of the media, never a series.
                return new FileResult(item, IndexedFileState.DicomDir, null, null, null, null, null, null, Vanished: false, bytes);
            case DicomHeaderStatus.Ok:
                state.LastKey = SeriesFields.Key(header, item.Folder, state.LastKey);
                state.LastSeries = header.Snapshot(SeriesFields.SeriesTags, state.LastSeries);

                // Indexed all the same (findable under its fallback key), but reported: see RequiredUids.
                var incomplete = RequiredUids.ArePresent(header) ? null : RequiredUids.MissingReport(header, item.Entry.Size, path, time.GetUtcNow());
                return new FileResult(
                    item,
                    IndexedFileState.Indexed,
                    state.LastKey,
                    state.LastSeries,
                    SeriesFields.Value(header, DicomTags.SopInstanceUid),
                    SeriesFields.Integer(header, DicomTags.InstanceNumber),
                    header.TransferSyntaxUid,
                    incomplete,
                    Vanished: false,
                    bytes);
            case DicomHeaderStatus.NotDicom:
                // A file without an extension is only a guess; a file named .dcm that is not DICOM is worth a report.
                var error = HasExtension(item.Name)
                    ? new ErrorReport(
                        ErrorCategory.Dicom,
                        ErrorCodes.NotDicom,
                        "The file has a DICOM name but is not a DICOM file (no DICM marker and no plausible dataset).",
                        "Remove or rename it, or exclude it with a glob. It is not read again while it stays unchanged.",
                        path,
                        time.GetUtcNow())
                    : null;
                return new FileResult(item, IndexedFileState.NotDicom, null, null, null, null, null, error, Vanished: false, bytes);
            case DicomHeaderStatus.Truncated:
                return Failed(item, IndexedFileState.Truncated, ErrorCodes.Truncated, header.Error,
                    "The file ends inside its DICOM header.",
                    "The copy is probably incomplete: copy it again from the modality or the PACS.", bytes);
            default:
                return Failed(item, IndexedFileState.Malformed, ErrorCodes.Malformed, header.Error,
                    "The DICOM header breaks the encoding rules.",
                    "Check the file with dcmdump or gdcmdump; if it is damaged, fetch it again from its source.", bytes);
        }
    }

    private FileResult Failed(WorkItem item, IndexedFileState state, string code, DicomReadError? detail, string what, string suggestion, long bytes)
    {
        var message = detail is null
            ? what
            : string.Create(CultureInfo.InvariantCulture, $"{what} {detail.Message}{(detail.Offset is { } offset ? $" (byte {offset}" + (detail.Tag is { } tag ? $", tag {tag})" : ")") : "")}");
        var error = new ErrorReport(ErrorCategory.Dicom, code, message, suggestion, item.Entry.RelativePath, time.GetUtcNow());
        return new FileResult(item, state, null, null, null, null, null, error, Vanished: false, bytes);
    }

    /// <summary>The retry predicate: a transient source failure, or a raw I/O error other than a missing file.</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        FileSourceException source => source.IsTransient,
        FileNotFoundException or DirectoryNotFoundException => false,
        IOException => true,
        _ => false,
    };

    private static bool HasExtension(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        return dot >= 0 && dot < name.Length - 1 && name[(dot + 1)..].ContainsAnyExceptInRange('0', '9');
    }

    private static string SuggestionFor(string code) => code switch
    {
        ErrorCodes.AccessDenied => "Give the account running NasPacs read permission on the file, then run the index again.",
        ErrorCodes.FileVanished => "Nothing to do if it was moved or deleted on purpose.",
        _ => "Check the connection to the share and the disk; the file is read again on the next run.",
    };

    /// <summary>What one read needs and keeps between files: the header result, the prefix reader, the last series seen.</summary>
    private sealed class ReadState
    {
        private IFileSource? _source;
        private string _path = "";
        private long _size;

        public ReadState() => ReadPrefix = ReadPrefixAsync;

        public DicomHeaderValues Header { get; } = new();

        /// <summary>Reads the current file's prefix and counts its bytes (retries included); one delegate for every file.</summary>
        public PrefixReader ReadPrefix { get; }

        public long Bytes { get; private set; }

        /// <summary>Reads of the current file so far (the first one and the retries).</summary>
        public int Attempts { get; set; }

        /// <summary>The key and series values of the last file read Ok: the next file of the same series shares them.</summary>
        public string? LastKey { get; set; }

        public DicomValueSnapshot? LastSeries { get; set; }

        public void Start(IFileSource source, string path, long size)
        {
            (_source, _path, _size, Bytes, Attempts) = (source, path, size, 0, 0);
        }

        /// <summary>Lets go of the source: a state parked on a thread must not keep a finished run's source alive.</summary>
        public void Finish() => (_source, _path) = (null, "");

        private ValueTask<int> ReadPrefixAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            if (_size > 0 && destination.Length > _size)
            {
                // A file shorter than the prefix asked for: ask for the size the walk saw, so that the read ends with a
                // full buffer instead of one more read that finds the end (a quarter of the files of the benchmark's
                // corpus; one system call each). The header reader takes the short prefix as the end of the file, as
                // it would have found it; a file that grew since the walk is read again on the next run (its size changed).
                destination = destination[..(int)_size];
            }

            var read = _source!.ReadPrefixAsync(_path, destination, cancellationToken);
            if (read.IsCompletedSuccessfully)
            {
                Bytes += read.Result;
                return read;
            }

            return CountAsync(read);
        }

        private async ValueTask<int> CountAsync(ValueTask<int> pending)
        {
            var read = await pending.ConfigureAwait(false);
            Bytes += read;
            return read;
        }
    }
}
