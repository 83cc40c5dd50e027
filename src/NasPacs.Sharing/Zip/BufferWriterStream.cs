using System.Buffers;

namespace NasPacs.Sharing.Zip;

/// <summary>
/// A write-only stream over a buffer writer, for <see cref="System.IO.Compression.DeflateStream"/>: writes are synchronous
/// copies into the pipe's memory (no I/O, so Kestrel's ban on synchronous writes does not apply); the caller flushes the pipe.
/// Counts the bytes, which are an entry's compressed size.
/// </summary>
internal sealed class BufferWriterStream(IBufferWriter<byte> destination) : Stream
{
    private bool _abandoned;

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Drops every later write: the entry failed, and the deflater's last block must not reach a writer that may be gone.</summary>
    public void Abandon() => _abandoned = true;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_abandoned)
        {
            return;
        }

        destination.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
