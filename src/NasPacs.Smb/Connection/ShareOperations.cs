using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>The file operations on one connection, each in as few round trips as the protocol allows.</summary>
internal static class ShareOperations
{
    /// <summary>A hostile server could otherwise stream a listing forever.</summary>
    private const int MaxEntriesPerFolder = 10_000_000;

    /// <summary>
    /// Reads the start of a file in one round trip: CREATE + READ + CLOSE as one related compound (MS-SMB2 §3.2.4.1.4).
    /// Returns the bytes read, the file's size so the caller can tell whether more exists, and the compound's round trip.
    /// </summary>
    public static async Task<(int Read, long Size, TimeSpan RoundTrip)> ReadPrefixAsync(SmbConnection connection, string path, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var want = Math.Min(destination.Length, connection.MaxReadSize);
        var responses = await connection.SendAsync(
            [
                new Smb2Request(Smb2Command.Create, Create.BuildRequest(path, Create.AccessReadFile, Create.OptionNonDirectory)),
                new Smb2Request(Smb2Command.Read, Read.BuildRequest(FileId.Related, 0, want), want),
                Close.Related,
            ],
            related: true,
            readIndex: 1,
            destination[..want],
            cancellationToken).ConfigureAwait(false);
        var created = Create.ParseResponse(responses[0].EnsureStatus().Message);
        if (responses[1].Status == NtStatus.EndOfFile)
        {
            return (0, created.EndOfFile, responses[2].RoundTrip);
        }

        // The connection validated the READ response and copied its data into the destination.
        return (responses[1].EnsureStatus().DeliveredBytes, created.EndOfFile, responses[2].RoundTrip);
    }

    /// <summary>Size, time and kind of a file or folder in one round trip (CREATE + CLOSE), <see langword="null"/> when it does not exist; and that round trip.</summary>
    public static async Task<(CreateResult? Result, TimeSpan RoundTrip)> StatAsync(SmbConnection connection, string path, CancellationToken cancellationToken)
    {
        var responses = await connection.SendAsync(
            [
                new Smb2Request(Smb2Command.Create, Create.BuildRequest(path, Create.AccessReadAttributes, 0)),
                Close.Related,
            ],
            related: true,
            cancellationToken).ConfigureAwait(false);
        if (responses[0].Status is NtStatus.ObjectNameNotFound or NtStatus.ObjectPathNotFound or NtStatus.NoSuchFile or NtStatus.DeletePending)
        {
            return (null, responses[1].RoundTrip);
        }

        return (Create.ParseResponse(responses[0].EnsureStatus().Message), responses[1].RoundTrip);
    }

    /// <summary>
    /// Lists a folder: CREATE + QUERY_DIRECTORY + QUERY_DIRECTORY compounded, more QUERY_DIRECTORY until
    /// STATUS_NO_MORE_FILES, CLOSE not awaited. The second query of the compound is the one that finds no more files
    /// for a folder that fits one buffer (nearly all: the buffer holds about 1,500 entries), so such a folder costs one
    /// round trip instead of two; a re-index of a share is its listing.
    /// </summary>
    public static async Task<List<DirectoryEntry>> ListAsync(SmbConnection connection, string path, CancellationToken cancellationToken)
    {
        var bufferSize = connection.DirectoryBufferSize;
        var withIds = connection.ListsFileIds;
        var responses = await connection.SendAsync(
            [
                new Smb2Request(Smb2Command.Create, Create.BuildRequest(path, Create.AccessListDirectory, Create.OptionDirectory)),
                new Smb2Request(Smb2Command.QueryDirectory, QueryDirectory.BuildRequest(FileId.Related, bufferSize, restart: true, withIds), bufferSize),
                new Smb2Request(Smb2Command.QueryDirectory, QueryDirectory.BuildRequest(FileId.Related, bufferSize, restart: false, withIds), bufferSize),
            ],
            related: true,
            cancellationToken).ConfigureAwait(false);
        var created = Create.ParseResponse(responses[0].EnsureStatus().Message);
        var entries = new List<DirectoryEntry>();
        var refused = false;
        try
        {
            var next = 1;
            while (true)
            {
                var page = next < responses.Length
                    ? responses[next++]
                    : (await connection.SendAsync([new Smb2Request(Smb2Command.QueryDirectory, QueryDirectory.BuildRequest(created.FileId, bufferSize, restart: false, withIds), bufferSize)], related: false, cancellationToken).ConfigureAwait(false))[0];
                if (page.Status == NtStatus.NoMoreFiles)
                {
                    break;
                }

                if (withIds && next == 2 && QueryDirectory.IsClassRefused(page.Status))
                {
                    // A server without file IDs in its listings: this connection lists as before, without loop checks.
                    refused = true;
                    break;
                }

                entries.AddRange(QueryDirectory.ParseResponse(page.EnsureStatus().Message, bufferSize, withIds));
                if (entries.Count > MaxEntriesPerFolder)
                {
                    throw new SmbProtocolException($"The server listed more than {MaxEntriesPerFolder} entries in one folder.");
                }
            }
        }
        finally
        {
            CloseInBackground(connection, created.FileId);
        }

        if (refused)
        {
            connection.ListsFileIds = false;
            return await ListAsync(connection, path, cancellationToken).ConfigureAwait(false);
        }

        return entries;
    }

    /// <summary>Opens a file for a sequential read.</summary>
    public static async Task<CreateResult> OpenAsync(SmbConnection connection, string path, CancellationToken cancellationToken)
    {
        var response = (await connection.SendAsync([new Smb2Request(Smb2Command.Create, Create.BuildRequest(path, Create.AccessReadFile, Create.OptionNonDirectory))], related: false, cancellationToken).ConfigureAwait(false))[0];
        return Create.ParseResponse(response.EnsureStatus().Message);
    }

    /// <summary>Reads one chunk of an open file; an empty result means the end of the file.</summary>
    public static async Task<byte[]> ReadChunkAsync(SmbConnection connection, FileId fileId, long offset, int length, CancellationToken cancellationToken)
    {
        var response = (await connection.SendAsync([new Smb2Request(Smb2Command.Read, Read.BuildRequest(fileId, offset, length), length)], related: false, cancellationToken).ConfigureAwait(false))[0];
        return response.Status == NtStatus.EndOfFile ? [] : Read.ParseResponse(response.EnsureStatus().Message, length).ToArray();
    }

    public static async Task CloseAsync(SmbConnection connection, FileId fileId, CancellationToken cancellationToken)
    {
        await connection.SendAsync([new Smb2Request(Smb2Command.Close, Close.BuildRequest(fileId))], related: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a CLOSE without waiting: the handle's owner has what it needs, and a failed close only matters to the server.</summary>
    public static void CloseInBackground(SmbConnection connection, FileId fileId)
    {
        _ = CloseAsync(connection, fileId, CancellationToken.None).ContinueWith(
            t => _ = t.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
