namespace NasPacs.Smb.Protocol;

/// <summary>A server response that breaks the protocol: a bad length, offset, signature or structure.</summary>
/// <remarks>Never escapes the library: it is turned into a <c>FileSourceException</c> with the network category.</remarks>
internal sealed class SmbProtocolException : Exception
{
    public SmbProtocolException(string message) : base(message) { }

    public SmbProtocolException(string message, Exception innerException) : base(message, innerException) { }

    public SmbProtocolException() : base("The server sent a malformed response.") { }
}
