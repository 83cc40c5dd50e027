namespace NasPacs.Sharing.Zip;

/// <summary>
/// Sits between <see cref="System.IO.Compression.ZipArchive"/> and an async-only destination (Kestrel refuses synchronous
/// writes). ZipArchive writes file data asynchronously but a few small pieces synchronously (an entry's data descriptor
/// when its stream is disposed, the last block of a deflater); those, and other small writes, are kept in a small buffer and
/// go out with the next asynchronous write. Large writes pass straight through, so memory stays a few KiB.
/// </summary>
internal sealed class CoalescingWriteStream(Stream destination) : Stream
{
    /// <summary>Writes below this size are gathered.</summary>
    private const int SmallWrite = 8 * 1024;
    private readonly MemoryStream _pending = new();
    private long _position;
    private bool _abandoned;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Drops everything written from now on (the client has gone; the archive's closing bytes have nowhere to go).</summary>
    public void Abandon() => _abandoned = true;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_abandoned)
        {
            _pending.Write(buffer);
            _position += buffer.Length;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_abandoned)
        {
            return;
        }

        if (buffer.Length < SmallWrite && _pending.Length + buffer.Length <= SmallWrite * 2)
        {
            _pending.Write(buffer.Span);
            _position += buffer.Length;
            return;
        }

        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += buffer.Length;
    }

    /// <summary>Nothing: synchronous flushes come from disposals inside ZipArchive; the bytes go out with the next async write.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_abandoned)
        {
            return;
        }

        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _pending.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Length > 0)
        {
            await destination.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), cancellationToken).ConfigureAwait(false);
            _pending.SetLength(0);
        }
    }
}
