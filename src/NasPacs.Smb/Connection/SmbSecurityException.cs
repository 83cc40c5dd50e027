namespace NasPacs.Smb.Connection;

/// <summary>Signing or encryption cannot be had as required; never worked around by weakening the session.</summary>
internal sealed class SmbSecurityException : Exception
{
    public SmbSecurityException() : base("Signing or encryption could not be established.") { }

    public SmbSecurityException(string message) : base(message) { }

    public SmbSecurityException(string message, Exception innerException) : base(message, innerException) { }
}
