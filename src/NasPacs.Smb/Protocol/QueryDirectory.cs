using System.Text;

namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 QUERY_DIRECTORY with FileDirectoryInformation entries (MS-SMB2 §2.2.33, §2.2.34; MS-FSCC §2.4.10).</summary>
internal static class QueryDirectory
{
    private const byte FileDirectoryInformation = 0x01;
    private const byte RestartScans = 0x01;
    private const int EntryFixedSize = 64;

    public static byte[] BuildRequest(FileId fileId, int outputBufferLength, bool restart)
    {
        var pattern = Encoding.Unicode.GetBytes("*");
        var body = new byte[32 + pattern.Length];
        Wire.Put16(body, 0, 33);
        body[2] = FileDirectoryInformation;
        body[3] = restart ? RestartScans : (byte)0;
        fileId.Write(body.AsSpan(8));
        Wire.Put16(body, 24, Smb2Header.Size + 32);
        Wire.Put16(body, 26, (ushort)pattern.Length);
        Wire.Put32(body, 28, (uint)outputBufferLength);
        pattern.CopyTo(body, 32);
        return body;
    }

    /// <summary>Parses every entry of a response, validating each offset and length; "." and ".." are dropped.</summary>
    public static List<DirectoryEntry> ParseResponse(ReadOnlySpan<byte> message, int outputBufferLength)
    {
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
            var entry = Wire.Slice(buffer, at, buffer.Length - at, "FileDirectoryInformation");
            var next = Wire.U32(entry, 0, "FileDirectoryInformation.NextEntryOffset");
            var nameLength = Wire.U32(entry, 60, "FileDirectoryInformation.FileNameLength");
            var name = Wire.Slice(entry, EntryFixedSize, nameLength, "FileDirectoryInformation.FileName");
            if (nameLength % 2 != 0 || nameLength == 0)
            {
                throw new SmbProtocolException($"A directory entry has a file name of {nameLength} bytes.");
            }

            var fileName = Encoding.Unicode.GetString(name);
            if (fileName is not ("." or ".."))
            {
                entries.Add(new DirectoryEntry(
                    fileName,
                    Wire.I64(entry, 40, "FileDirectoryInformation.EndOfFile"),
                    Wire.I64(entry, 24, "FileDirectoryInformation.LastWriteTime"),
                    (FileAttributes)Wire.U32(entry, 56, "FileDirectoryInformation.FileAttributes")));
            }

            if (next == 0)
            {
                break;
            }

            // Entries move forward and never overlap the current one, so a hostile server cannot make this loop forever.
            if (next < EntryFixedSize + nameLength || next > (uint)(buffer.Length - at))
            {
                throw new SmbProtocolException($"A directory entry points to the next one at {next}, outside the listing.");
            }

            at += (int)next;
        }

        return entries;
    }
}

/// <summary>One name in a folder listing.</summary>
internal readonly record struct DirectoryEntry(string Name, long EndOfFile, long LastWriteTime, FileAttributes Attributes)
{
    public bool IsDirectory => (Attributes & FileAttributes.Directory) != 0;
}
