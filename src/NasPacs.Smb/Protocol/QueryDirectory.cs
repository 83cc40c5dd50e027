using System.Text;

namespace NasPacs.Smb.Protocol;

/// <summary>
/// SMB2 QUERY_DIRECTORY (MS-SMB2 §2.2.33, §2.2.34) with FileIdFullDirectoryInformation entries (MS-FSCC §2.4.23): the
/// fields of FileDirectoryInformation (§2.4.10) plus each entry's file ID, which lets the walk see a folder it is
/// already inside. A server that refuses that class is asked for FileDirectoryInformation (<c>withIds</c> false).
/// </summary>
internal static class QueryDirectory
{
    private const byte FileDirectoryInformation = 0x01;
    private const byte FileIdFullDirectoryInformation = 0x26;
    private const byte RestartScans = 0x01;
    private const int EntryFixedSize = 64, EntryWithIdFixedSize = 80, FileIdOffset = 72;

    /// <summary>What a server that does not know an information class answers (Windows, Samba and others differ).</summary>
    public static bool IsClassRefused(uint status) => status is NtStatus.InvalidInfoClass or NtStatus.NotSupported or NtStatus.InvalidParameter;

    public static byte[] BuildRequest(FileId fileId, int outputBufferLength, bool restart, bool withIds = true)
    {
        var pattern = Encoding.Unicode.GetBytes("*");
        var body = new byte[32 + pattern.Length];
        Wire.Put16(body, 0, 33);
        body[2] = withIds ? FileIdFullDirectoryInformation : FileDirectoryInformation;
        body[3] = restart ? RestartScans : (byte)0;
        fileId.Write(body.AsSpan(8));
        Wire.Put16(body, 24, Smb2Header.Size + 32);
        Wire.Put16(body, 26, (ushort)pattern.Length);
        Wire.Put32(body, 28, (uint)outputBufferLength);
        pattern.CopyTo(body, 32);
        return body;
    }

    /// <summary>Parses every entry of a response, validating each offset and length; ".." is dropped, "." kept (the folder's own ID).</summary>
    public static List<DirectoryEntry> ParseResponse(ReadOnlySpan<byte> message, int outputBufferLength, bool withIds = true)
    {
        var fixedSize = withIds ? EntryWithIdFixedSize : EntryFixedSize;
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 9, "QueryDirectoryResponse");
        var length = Wire.U32(body, 4, "QueryDirectoryResponse.OutputBufferLength");
        if (length > (uint)outputBufferLength)
        {
            throw new SmbProtocolException($"The server returned {length} bytes of listing for a buffer of {outputBufferLength}.");
        }

        var buffer = Wire.Slice(message, Wire.U16(body, 2, "QueryDirectoryResponse.OutputBufferOffset"), length, "QueryDirectoryResponse.Buffer");
        var entries = new List<DirectoryEntry>();
        var at = 0;
        while (buffer.Length > 0)
        {
            var entry = Wire.Slice(buffer, at, buffer.Length - at, "FileIdFullDirectoryInformation");
            var next = Wire.U32(entry, 0, "FileIdFullDirectoryInformation.NextEntryOffset");
            var nameLength = Wire.U32(entry, 60, "FileIdFullDirectoryInformation.FileNameLength");
            var name = Wire.Slice(entry, fixedSize, nameLength, "FileIdFullDirectoryInformation.FileName");
            if (nameLength % 2 != 0 || nameLength == 0)
            {
                throw new SmbProtocolException($"A directory entry has a file name of {nameLength} bytes.");
            }

            var fileName = Encoding.Unicode.GetString(name);
            if (fileName is not "..")
            {
                entries.Add(new DirectoryEntry(
                    fileName,
                    Wire.I64(entry, 40, "FileIdFullDirectoryInformation.EndOfFile"),
                    Wire.I64(entry, 24, "FileIdFullDirectoryInformation.LastWriteTime"),
                    (FileAttributes)Wire.U32(entry, 56, "FileIdFullDirectoryInformation.FileAttributes"),
                    withIds ? Wire.U64(entry, FileIdOffset, "FileIdFullDirectoryInformation.FileId") : 0));
            }

            if (next == 0)
            {
                break;
            }

            // Entries move forward and never overlap the current one, so a hostile server cannot make this loop forever.
            if (next < fixedSize + nameLength || next > (uint)(buffer.Length - at))
            {
                throw new SmbProtocolException($"A directory entry points to the next one at {next}, outside the listing.");
            }

            at += (int)next;
        }

        return entries;
    }
}

/// <summary>One name in a folder listing; <paramref name="FileId"/> is the server's ID of the file (0 or all ones: none).</summary>
internal readonly record struct DirectoryEntry(string Name, long EndOfFile, long LastWriteTime, FileAttributes Attributes, ulong FileId = 0)
{
    public bool IsDirectory => (Attributes & FileAttributes.Directory) != 0;

    /// <summary>The "." entry: the listed folder itself.</summary>
    public bool IsSelf => Name == ".";

    /// <summary>Whether the server gave an ID (MS-FSCC: a file system without IDs answers 0 or -1).</summary>
    public bool HasFileId => FileId is not (0 or ulong.MaxValue);
}
