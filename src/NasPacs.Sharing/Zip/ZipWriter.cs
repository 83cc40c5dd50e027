using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace NasPacs.Sharing.Zip;

/// <summary>
/// Writes a zip's records (PKWARE APPNOTE 6.3) forward-only into a <see cref="PipeWriter"/>: each entry is a local header with
/// zero CRC and sizes and general purpose bit 3, then its data (written by the caller into <see cref="Output"/>), then a data
/// descriptor (APPNOTE 4.3.9); at the end the central directory and, when an offset, size or count does not fit its 16 or
/// 32 bits, the ZIP64 end record and locator (4.3.14, 4.3.15). Only the central directory's records stay in memory.
/// The pipe is flushed once <paramref name="flushThreshold"/> bytes have gathered, so memory stays flat.
/// </summary>
internal sealed class ZipWriter(PipeWriter output, int flushThreshold)
{
    /// <summary>Entries expected this large get ZIP64 sizes from their local header on (deflate may grow incompressible data a little).</summary>
    private const long Zip64EntryThreshold = 0xF000_0000;
    private const ushort Version20 = 20;
    private const ushort Version45 = 45;
    private const ushort MadeByUnix = 3 << 8;
    private const ushort FlagDataDescriptor = 1 << 3;
    private const ushort FlagUtf8 = 1 << 11;
    private const uint UnixRegularFile0644 = 0x81A4u << 16;
    private readonly List<CentralRecord> _entries = [];
    private long _position;
    private long _flushedAt;

    /// <summary>Where entry data goes; count what is written there with <see cref="Advanced"/>.</summary>
    public PipeWriter Output => output;

    /// <summary>Records <paramref name="count"/> bytes of entry data that the caller wrote to <see cref="Output"/>.</summary>
    public void Advanced(long count) => _position += count;

    /// <summary>Starts an entry; its data follows, then <see cref="EndEntry"/>.</summary>
    /// <param name="name">The entry's path with <c>/</c> separators.</param>
    /// <param name="method">0 stored, 8 deflated.</param>
    /// <param name="lastWrite">The file's time, kept as an MS-DOS date and time (2-second steps, 1980–2107).</param>
    /// <param name="expectedSize">The size the data is expected to have; from 3.75 GiB on, the entry carries ZIP64 sizes.</param>
    public void BeginEntry(string name, ushort method, DateTime lastWrite, long expectedSize)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var zip64 = expectedSize >= Zip64EntryThreshold;
        var flags = (ushort)(FlagDataDescriptor | (Ascii.IsValid(name) ? 0 : FlagUtf8));
        var (time, date) = DosTime(lastWrite);
        var span = output.GetSpan(30 + nameBytes.Length + 20);
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x04034B50);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], zip64 ? Version45 : Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], flags);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], method);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], time);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], date);
        span.Slice(14, 12).Clear(); // CRC-32 and sizes follow in the data descriptor (bit 3)
        if (zip64)
        {
            // APPNOTE 4.5.3: a local header's ZIP64 field holds both sizes; here zero, the descriptor has the real ones.
            BinaryPrimitives.WriteUInt32LittleEndian(span[18..], uint.MaxValue);
            BinaryPrimitives.WriteUInt32LittleEndian(span[22..], uint.MaxValue);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], (ushort)(zip64 ? 20 : 0));
        nameBytes.CopyTo(span[30..]);
        var length = 30 + nameBytes.Length;
        if (zip64)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[length..], 0x0001);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(length + 2)..], 16);
            span.Slice(length + 4, 16).Clear();
            length += 20;
        }

        output.Advance(length);
        _entries.Add(new CentralRecord(nameBytes, flags, method, time, date, _position, zip64));
        _position += length;
    }

    /// <summary>Ends the entry begun last with its data descriptor.</summary>
    public void EndEntry(uint crc, long compressedSize, long size)
    {
        var entry = _entries[^1];
        _entries[^1] = entry with { Crc = crc, CompressedSize = compressedSize, Size = size };
        var span = output.GetSpan(24);
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x08074B50);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], crc);
        int length;
        if (entry.Zip64)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], compressedSize);
            BinaryPrimitives.WriteInt64LittleEndian(span[16..], size);
            length = 24;
        }
        else
        {
            // Only entries below 3.75 GiB get here, so both sizes fit 32 bits.
            BinaryPrimitives.WriteUInt32LittleEndian(span[8..], checked((uint)compressedSize));
            BinaryPrimitives.WriteUInt32LittleEndian(span[12..], checked((uint)size));
            length = 16;
        }

        output.Advance(length);
        _position += length;
    }

    /// <summary>Flushes when <c>flushThreshold</c> bytes have gathered since the last flush.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the pipe's reader (the client) is gone.</exception>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
        => _position - _flushedAt >= flushThreshold ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Hands what is written to the reader; waits only when the reader is behind (the pipe's back-pressure).</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the pipe's reader (the client) is gone.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled || result.IsCompleted)
        {
            throw new OperationCanceledException("The client stopped reading the zip.");
        }

        _flushedAt = _position;
    }

    /// <summary>Writes the central directory and the end records, and flushes.</summary>
    public async ValueTask FinishAsync(CancellationToken cancellationToken)
    {
        var start = _position;
        foreach (var entry in _entries)
        {
            WriteCentral(entry);
            await FlushIfFullAsync(cancellationToken).ConfigureAwait(false);
        }

        var size = _position - start;
        var count = _entries.Count;
        if (count >= ushort.MaxValue || start >= uint.MaxValue || size >= uint.MaxValue)
        {
            var record = _position;
            var span = output.GetSpan(56 + 20);
            BinaryPrimitives.WriteUInt32LittleEndian(span, 0x06064B50);
            BinaryPrimitives.WriteUInt64LittleEndian(span[4..], 44); // the record's size after this field
            BinaryPrimitives.WriteUInt16LittleEndian(span[12..], MadeByUnix | Version45);
            BinaryPrimitives.WriteUInt16LittleEndian(span[14..], Version45);
            span.Slice(16, 8).Clear(); // this disk, the central directory's disk
            BinaryPrimitives.WriteInt64LittleEndian(span[24..], count);
            BinaryPrimitives.WriteInt64LittleEndian(span[32..], count);
            BinaryPrimitives.WriteInt64LittleEndian(span[40..], size);
            BinaryPrimitives.WriteInt64LittleEndian(span[48..], start);
            BinaryPrimitives.WriteUInt32LittleEndian(span[56..], 0x07064B50);
            BinaryPrimitives.WriteUInt32LittleEndian(span[60..], 0);
            BinaryPrimitives.WriteInt64LittleEndian(span[64..], record);
            BinaryPrimitives.WriteUInt32LittleEndian(span[72..], 1); // disks in all
            output.Advance(76);
            _position += 76;
        }

        var end = output.GetSpan(22);
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        end.Slice(4, 4).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)Math.Min(count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)Math.Min(count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)Math.Min(size, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)Math.Min(start, uint.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(end[20..], 0);
        output.Advance(22);
        _position += 22;
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private void WriteCentral(CentralRecord entry)
    {
        // APPNOTE 4.5.3: the central ZIP64 field holds, in this order, only the values whose 32-bit field is 0xFFFFFFFF.
        var bigSize = entry.Size >= uint.MaxValue;
        var bigCompressed = entry.CompressedSize >= uint.MaxValue;
        var bigOffset = entry.Offset >= uint.MaxValue;
        var extra = (bigSize ? 8 : 0) + (bigCompressed ? 8 : 0) + (bigOffset ? 8 : 0);
        var extraLength = extra == 0 ? 0 : 4 + extra;
        var length = 46 + entry.Name.Length + extraLength;
        var span = output.GetSpan(length);
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0x02014B50);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], MadeByUnix | Version45);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], entry.Zip64 || extra > 0 ? Version45 : Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], entry.Flags);
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], entry.Method);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], entry.Time);
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], entry.Date);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], entry.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)Math.Min(entry.CompressedSize, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)Math.Min(entry.Size, uint.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], (ushort)entry.Name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[30..], (ushort)extraLength);
        span.Slice(32, 6).Clear(); // comment length, disk number, internal attributes
        BinaryPrimitives.WriteUInt32LittleEndian(span[38..], UnixRegularFile0644);
        BinaryPrimitives.WriteUInt32LittleEndian(span[42..], (uint)Math.Min(entry.Offset, uint.MaxValue));
        entry.Name.CopyTo(span[46..]);
        var at = 46 + entry.Name.Length;
        if (extra > 0)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], 0x0001);
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + 2)..], (ushort)extra);
            at += 4;
            foreach (var (big, value) in (ReadOnlySpan<(bool, long)>)[(bigSize, entry.Size), (bigCompressed, entry.CompressedSize), (bigOffset, entry.Offset)])
            {
                if (big)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(span[at..], value);
                    at += 8;
                }
            }
        }

        output.Advance(length);
        _position += length;
    }

    /// <summary>MS-DOS time and date (APPNOTE 4.4.6), clamped to the years the format holds.</summary>
    private static (ushort Time, ushort Date) DosTime(DateTime value)
    {
        var t = value.Year < 1980 ? new DateTime(1980, 1, 1) : value.Year > 2107 ? new DateTime(2107, 12, 31, 23, 59, 58) : value;
        return ((ushort)((t.Hour << 11) | (t.Minute << 5) | (t.Second / 2)), (ushort)(((t.Year - 1980) << 9) | (t.Month << 5) | t.Day));
    }

    private sealed record CentralRecord(byte[] Name, ushort Flags, ushort Method, ushort Time, ushort Date, long Offset, bool Zip64)
    {
        public uint Crc { get; init; }

        public long CompressedSize { get; init; }

        public long Size { get; init; }
    }
}
