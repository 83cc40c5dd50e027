namespace NasPacs.Smb.Connection;

/// <summary>The connection is gone (dropped, timed out, or closed after a protocol violation); a fresh one may work.</summary>
internal sealed class SmbConnectionException : Exception
{
    public SmbConnectionException(string message, Exception? innerException, bool isTimeout)
        : base(message, innerException) => IsTimeout = isTimeout;

    public SmbConnectionException() : base("The connection to the server dropped.") { }

    public SmbConnectionException(string message) : base(message) { }

    public SmbConnectionException(string message, Exception innerException) : base(message, innerException) { }

    public bool IsTimeout { get; }
}
