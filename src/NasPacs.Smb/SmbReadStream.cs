using NasPacs.Smb.Connection;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>
/// A whole file as a forward-only stream, with a few READs kept in flight ahead of the reader so a high-latency
/// link still streams at bandwidth. Closes the handle on dispose.
/// </summary>
internal sealed class SmbReadStream : Stream
{
    private const int ReadAhead = 4;

    private readonly SmbConnection _connection;
    private readonly FileId _fileId;
    private readonly long _size;
    private readonly string _path;
    private readonly Queue<Task<byte[]>> _ahead = new();
    private long _nextOffset;
    private byte[] _current = [];
    private int _currentPosition;
    private long _position;
    private bool _ended;
    private bool _disposed;

    public SmbReadStream(SmbConnection connection, FileId fileId, long size, string path)
    {
        _connection = connection;
        _fileId = fileId;
        _size = size;
        _path = path;
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _size;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_currentPosition == _current.Length)
        {
            if (!await NextChunkAsync().ConfigureAwait(false))
            {
                return 0;
            }
        }

        var count = Math.Min(buffer.Length, _current.Length - _currentPosition);
        _current.AsMemory(_currentPosition, count).CopyTo(buffer);
        _currentPosition += count;
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async Task<bool> NextChunkAsync()
    {
        var chunk = _connection.MaxReadSize;
        while (!_ended && _ahead.Count < ReadAhead && _nextOffset < _size)
        {
            // Read-ahead requests are not tied to one caller's token: they belong to the stream and end with it.
            _ahead.Enqueue(ShareOperations.ReadChunkAsync(_connection, _fileId, _nextOffset, chunk, CancellationToken.None));
            _nextOffset += chunk;
        }

        if (_ahead.Count == 0)
        {
            return false;
        }

        byte[] data;
        try
        {
            data = await _ahead.Dequeue().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw SmbErrors.Classify(ex, _path);
        }

        if (data.Length < chunk)
        {
            _ended = true; // The file ended here (it may have shrunk since it was opened): later chunks are discarded.
        }

        _current = data;
        _currentPosition = 0;
        return data.Length > 0;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_ahead.TryDequeue(out var pending))
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SmbConnectionException or SmbStatusException or SmbProtocolException)
            {
                // The stream is going away; a failed read-ahead no longer matters.
            }
        }

        if (_connection.IsHealthy)
        {
            ShareOperations.CloseInBackground(_connection, _fileId);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
