namespace NasPacs.Smb.Protocol;

/// <summary>The server answered a request with an error status.</summary>
internal sealed class SmbStatusException : Exception
{
    public SmbStatusException(uint status, Smb2Command command)
        : base($"The server answered {command} with {NtStatus.Describe(status)}.")
    {
        Status = status;
        Command = command;
    }

    public SmbStatusException() : base("The server answered with an error status.") { }

    public SmbStatusException(string message) : base(message) { }

    public SmbStatusException(string message, Exception innerException) : base(message, innerException) { }

    public uint Status { get; }

    public Smb2Command Command { get; }
}
