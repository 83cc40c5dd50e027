using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>One response message (header included) as received, signature already checked.</summary>
internal sealed class Smb2Response
{
    private readonly byte[] _message;

    public Smb2Response(Smb2Header header, byte[] message, TimeSpan roundTrip, int deliveredBytes = -1)
    {
        Header = header;
        RoundTrip = roundTrip;
        DeliveredBytes = deliveredBytes;
        _message = message;
    }

    /// <summary>
    /// For a READ sent with a destination: the bytes already validated and copied there (the message then holds only
    /// its header and body); -1 otherwise.
    /// </summary>
    public int DeliveredBytes { get; }

    public Smb2Header Header { get; }

    /// <summary>From queueing the request to reading this response off the socket: the network and the server, not the caller's waits.</summary>
    public TimeSpan RoundTrip { get; }

    /// <summary>The message as received (header included); empty for a CLOSE, whose bytes nothing reads past the header.</summary>
    public ReadOnlySpan<byte> Message => _message;

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
