using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>One response message (header included) as received, signature already checked.</summary>
internal sealed class Smb2Response
{
    public Smb2Response(Smb2Header header, byte[] message)
    {
        Header = header;
        Message = message;
    }

    public Smb2Header Header { get; }

    public byte[] Message { get; }

    public uint Status => Header.Status;

    /// <summary>Throws <see cref="SmbStatusException"/> unless the status is one of <paramref name="accepted"/> or success.</summary>
    public Smb2Response EnsureStatus(params ReadOnlySpan<uint> accepted)
    {
        if (Status != NtStatus.Success && !accepted.Contains(Status))
        {
            throw new SmbStatusException(Status, Header.Command);
        }

        return this;
    }
}
