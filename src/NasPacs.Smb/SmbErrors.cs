using System.Net.Sockets;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Smb.Connection;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>Turns everything the client can fail with into a classified <see cref="FileSourceException"/>, with a suggestion.</summary>
internal static class SmbErrors
{
    public static FileSourceException Classify(Exception exception, string? path) => exception switch
    {
        FileSourceException already => already,
        SmbStatusException status => FromStatus(status, path),
        SmbConnectionException { IsTimeout: true } c => new FileSourceException(ErrorCategory.Network, ErrorCodes.Timeout, c.Message, path, isTransient: true, c),
        SmbConnectionException c => new FileSourceException(ErrorCategory.Network, ErrorCodes.NetworkFailure, c.Message, path, isTransient: true, c),
        SmbSecurityException s => new FileSourceException(ErrorCategory.Authentication, SmbErrorCodes.SecurityMismatch, "Signing or encryption mismatch: " + s.Message, path, isTransient: false, s),
        SmbProtocolException p => new FileSourceException(ErrorCategory.Network, ErrorCodes.NetworkFailure, "The server broke the SMB protocol: " + p.Message, path, isTransient: false, p),
        SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } s => new FileSourceException(ErrorCategory.Network, ErrorCodes.NetworkFailure, "The server name could not be resolved.", path, isTransient: false, s),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } s => new FileSourceException(ErrorCategory.Network, ErrorCodes.NetworkFailure, "The server refused the connection.", path, isTransient: true, s),
        SocketException { SocketErrorCode: SocketError.TimedOut } s => new FileSourceException(ErrorCategory.Network, ErrorCodes.Timeout, "Connecting to the server timed out.", path, isTransient: true, s),
        SocketException or IOException => new FileSourceException(ErrorCategory.Network, ErrorCodes.NetworkFailure, "The connection to the server failed: " + exception.Message, path, isTransient: true, exception),
        _ => new FileSourceException(ErrorCategory.System, ErrorCodes.IoError, "The SMB client failed: " + exception.Message, path, isTransient: false, exception),
    };

    /// <summary>Whether a fresh connection may cure the failure (the old one is then discarded).</summary>
    public static bool NeedsNewConnection(Exception exception) => exception switch
    {
        SmbConnectionException => true,
        SmbStatusException s => s.Status is NtStatus.NetworkNameDeleted or NtStatus.UserSessionDeleted or NtStatus.NetworkSessionExpired,
        SocketException s => s.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.TimedOut,
        IOException => true,
        _ => false,
    };

    /// <summary>What a person can do about a failure.</summary>
    public static string Suggest(FileSourceException exception) => exception.Code switch
    {
        SmbErrorCodes.SecurityMismatch => "Check the server's signing and encryption settings against Smb:RequireEncryption and the dialect range.",
        SmbErrorCodes.DialectMismatch => "Widen Smb:MinDialect/Smb:MaxDialect, or check the server's minimum and maximum protocol.",
        ErrorCodes.AuthenticationFailed => "Check the user name, password and domain; make sure the account is enabled.",
        ErrorCodes.AccessDenied => "Give the SMB user read permission on this file or folder.",
        ErrorCodes.FileVanished => "The file was removed or renamed on the server; run the index again to catch up.",
        ErrorCodes.RootUnreachable => "Check the share name and root folder in the SMB settings.",
        ErrorCodes.Timeout => "Check the network to the NAS, or raise Smb:RequestTimeout on a slow link.",
        ErrorCodes.NetworkFailure => "Check that the NAS is reachable on the configured host and port.",
        _ => "Check the NAS and try again.",
    };

    private static FileSourceException FromStatus(SmbStatusException status, string? path)
    {
        switch (status.Command)
        {
            case Smb2Command.Negotiate:
                return new FileSourceException(ErrorCategory.Configuration, SmbErrorCodes.DialectMismatch, "The server accepts none of the offered SMB dialects: " + status.Message, path, isTransient: false, status);
            case Smb2Command.SessionSetup when status.Status == NtStatus.AccessDenied:
                return new FileSourceException(ErrorCategory.Authentication, ErrorCodes.AuthenticationFailed, "The server refused the session: the account may not sign in, or the server requires encryption the chosen dialects lack. " + status.Message, path, isTransient: false, status);
            case Smb2Command.TreeConnect when status.Status == NtStatus.AccessDenied:
                return new FileSourceException(ErrorCategory.Authentication, ErrorCodes.AccessDenied, "The user may not connect to this share. " + status.Message, path, isTransient: false, status);
            default:
                break;
        }

        var (category, code, transient) = status.Status switch
        {
            NtStatus.ObjectNameNotFound or NtStatus.ObjectPathNotFound or NtStatus.NoSuchFile or NtStatus.DeletePending => (ErrorCategory.FileSystem, ErrorCodes.FileVanished, false),
            NtStatus.AccessDenied => (ErrorCategory.FileSystem, ErrorCodes.AccessDenied, false),
            NtStatus.LogonFailure or NtStatus.AccountDisabled or NtStatus.AccountLockedOut or NtStatus.PasswordExpired or NtStatus.AccountRestriction => (ErrorCategory.Authentication, ErrorCodes.AuthenticationFailed, false),
            NtStatus.BadNetworkName => (ErrorCategory.Configuration, ErrorCodes.RootUnreachable, false),
            NtStatus.NetworkNameDeleted or NtStatus.UserSessionDeleted or NtStatus.NetworkSessionExpired => (ErrorCategory.Network, ErrorCodes.NetworkFailure, true),
            NtStatus.SharingViolation or NtStatus.InsufficientResources => (ErrorCategory.FileSystem, ErrorCodes.FileUnreadable, true),
            _ => (ErrorCategory.FileSystem, ErrorCodes.FileUnreadable, false),
        };
        return new FileSourceException(category, code, status.Message, path, transient, status);
    }
}
