using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>One response message (header included) as received, signature already checked.</summary>
/// <remarks>The messages of one compounded response share the array their frame was copied or decrypted into.</remarks>
internal sealed class Smb2Response
{
    private readonly byte[] _frame;
    private readonly int _offset;
    private readonly int _length;

    public Smb2Response(Smb2Header header, byte[] frame, int offset, int length, TimeSpan roundTrip)
    {
        Header = header;
        RoundTrip = roundTrip;
        _frame = frame;
        _offset = offset;
        _length = length;
    }

    public Smb2Header Header { get; }

    /// <summary>From queueing the request to reading this response off the socket: the network and the server, not the caller's waits.</summary>
    public TimeSpan RoundTrip { get; }

    public ReadOnlySpan<byte> Message => _frame.AsSpan(_offset, _length);

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
