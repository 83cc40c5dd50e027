using System.Text;

namespace NasPacs.Smb.Protocol;

/// <summary>SMB2 CREATE request and response (MS-SMB2 §2.2.13, §2.2.14), used only to open for reading.</summary>
internal static class Create
{
    /// <summary>FILE_READ_DATA | FILE_READ_EA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE.</summary>
    public const uint AccessReadFile = 0x00120089;

    /// <summary>FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE.</summary>
    public const uint AccessListDirectory = 0x00100081;

    /// <summary>FILE_READ_ATTRIBUTES | SYNCHRONIZE: enough to learn size and times.</summary>
    public const uint AccessReadAttributes = 0x00100080;

    public const uint OptionDirectory = 0x00000001;
    public const uint OptionNonDirectory = 0x00000040;

    private const uint ShareReadWriteDelete = 0x00000007;
    private const uint DispositionOpen = 0x00000001;
    private const uint ImpersonationLevel = 0x00000002;
    private const int NameOffset = Smb2Header.Size + 56;

    /// <summary>Builds a request that opens an existing file or folder; <paramref name="path"/> uses backslashes, no leading one.</summary>
    public static byte[] BuildRequest(string path, uint desiredAccess, uint createOptions)
    {
        // The name is encoded straight into the body. The buffer holds at least one byte even when the name (the share
        // root) is empty (MS-SMB2 §2.2.13).
        var nameLength = Encoding.Unicode.GetByteCount(path);
        var body = new byte[56 + Math.Max(nameLength, 1)];
        Wire.Put16(body, 0, 57);
        Wire.Put32(body, 4, ImpersonationLevel);
        Wire.Put32(body, 24, desiredAccess);
        Wire.Put32(body, 32, ShareReadWriteDelete);
        Wire.Put32(body, 36, DispositionOpen);
        Wire.Put32(body, 40, createOptions);
        Wire.Put16(body, 44, NameOffset);
        Wire.Put16(body, 46, (ushort)nameLength);
        Encoding.Unicode.GetBytes(path, body.AsSpan(56));
        return body;
    }

    public static CreateResult ParseResponse(ReadOnlySpan<byte> message)
    {
        var body = Wire.Body(message);
        Wire.RequireStructureSize(body, 89, "CreateResponse");
        return new CreateResult(
            FileId.Read(body, 64),
            Wire.I64(body, 24, "CreateResponse.LastWriteTime"),
            Wire.I64(body, 48, "CreateResponse.EndofFile"),
            (FileAttributes)Wire.U32(body, 56, "CreateResponse.FileAttributes"));
    }
}

/// <summary>What an opened file is.</summary>
internal readonly record struct CreateResult(FileId FileId, long LastWriteTime, long EndOfFile, FileAttributes Attributes)
{
    public bool IsDirectory => (Attributes & FileAttributes.Directory) != 0;
}
