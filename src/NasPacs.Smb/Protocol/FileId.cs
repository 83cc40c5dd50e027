namespace NasPacs.Smb.Protocol;

/// <summary>An SMB2 file handle (MS-SMB2 §2.2.14.1).</summary>
internal readonly record struct FileId(ulong Persistent, ulong Volatile)
{
    /// <summary>The handle a related compound request uses to mean "the one the previous request opened" (MS-SMB2 §3.2.4.1.4).</summary>
    public static readonly FileId Related = new(ulong.MaxValue, ulong.MaxValue);

    public void Write(Span<byte> destination)
    {
        Wire.Put64(destination, 0, Persistent);
        Wire.Put64(destination, 8, Volatile);
    }

    public static FileId Read(ReadOnlySpan<byte> span, int offset) =>
        new(Wire.U64(span, offset, "FileId.Persistent"), Wire.U64(span, offset + 8, "FileId.Volatile"));
}
