using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;

namespace NasPacs.Smb;

/// <summary>The design's <c>test_connection</c>: connects, signs in, opens the root folder and reports what it found.</summary>
public sealed class SmbConnectionTester
{
    private readonly TimeProvider _time;

    /// <summary>Creates the tester; <paramref name="timeProvider"/> defaults to the system clock.</summary>
    public SmbConnectionTester(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Tries the settings once, without retries; never throws for a failed connection, only reports it.</summary>
    public async Task<SmbConnectionTestResult> TestAsync(SmbOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            return Failed(SmbFailureReason.Configuration, string.Join(" ", problems), "Correct the SMB settings named in the message.");
        }

        var single = options.Clone();
        single.PoolSize = 1;
        single.RetryCount = 0;
        var probe = new SmbFileSource(single, _time);
        await using (probe.ConfigureAwait(false))
        {
            try
            {
                var count = 0;
                await foreach (var _ in probe.EnumerateAsync(new FileEnumerationOptions { ShouldEnterDirectory = _ => false }, cancellationToken).ConfigureAwait(false))
                {
                    count++;
                }

                var metrics = probe.Metrics();
                var details = new Dictionary<string, string>
                {
                    ["dialect"] = metrics.Dialect,
                    ["signing"] = metrics.Signing ?? "off",
                    ["encryption"] = metrics.Encryption ?? "off",
                    ["round_trip_ms"] = metrics.RoundTrip.TotalMilliseconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                    ["files_in_root"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
                return new SmbConnectionTestResult(true, $"Connected to {options.DisplayName} with SMB {metrics.Dialect}.", SmbFailureReason.None, null, details);
            }
            catch (FileSourceException ex)
            {
                var reason = Reason(ex);
                return Failed(reason, ex.Message, Suggest(reason));
            }
        }
    }

    private static SmbConnectionTestResult Failed(SmbFailureReason reason, string message, string suggestion) =>
        new(false, message, reason, suggestion, new Dictionary<string, string>());

    private static SmbFailureReason Reason(FileSourceException exception)
    {
        var socket = FindInner<System.Net.Sockets.SocketException>(exception);
        return exception.Code switch
        {
            _ when socket?.SocketErrorCode is System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => SmbFailureReason.NameResolution,
            _ when socket?.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionRefused => SmbFailureReason.ConnectionRefused,
            ErrorCodes.Timeout => SmbFailureReason.Timeout,
            ErrorCodes.AuthenticationFailed => SmbFailureReason.Authentication,
            SmbErrorCodes.SecurityMismatch => SmbFailureReason.SecurityMismatch,
            SmbErrorCodes.DialectMismatch => SmbFailureReason.DialectMismatch,
            ErrorCodes.AccessDenied => SmbFailureReason.AccessDenied,
            ErrorCodes.RootUnreachable when exception.Category == ErrorCategory.Configuration => SmbFailureReason.ShareNotFound,
            ErrorCodes.RootUnreachable => SmbFailureReason.RootNotFound,
            _ => SmbFailureReason.Network,
        };
    }

    private static T? FindInner<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string Suggest(SmbFailureReason reason) => reason switch
    {
        SmbFailureReason.NameResolution => "Check the host name, or use the NAS's IP address.",
        SmbFailureReason.ConnectionRefused => "Check that SMB is enabled on the NAS and the port (usually 445) is right and not blocked by a firewall.",
        SmbFailureReason.Timeout => "Check that the NAS is on and reachable from this machine; on a slow link raise Smb:ConnectTimeout.",
        SmbFailureReason.Authentication => "Check the user name, password and domain; make sure the account is enabled and may use SMB.",
        SmbFailureReason.ShareNotFound => "Check the share name; the NAS's share list shows the exact spelling.",
        SmbFailureReason.RootNotFound => "Check the folder path inside the share.",
        SmbFailureReason.AccessDenied => "Give the user read permission on the share and the root folder.",
        SmbFailureReason.SecurityMismatch => "Align signing and encryption: enable SMB 3 on the NAS, or relax Smb:RequireEncryption.",
        SmbFailureReason.DialectMismatch => "Widen Smb:MinDialect/Smb:MaxDialect or enable a matching SMB version on the NAS.",
        _ => "Check the network path to the NAS and try again.",
    };
}

/// <summary>The outcome of <see cref="SmbConnectionTester.TestAsync"/>: the design's (ok, message, details) plus why and what to do.</summary>
/// <param name="Ok">Whether the share's root could be listed.</param>
/// <param name="Message">What happened, for a person; never contains the password.</param>
/// <param name="Reason">The failure class, <see cref="SmbFailureReason.None"/> when <paramref name="Ok"/>.</param>
/// <param name="Suggestion">What a person can do about a failure.</param>
/// <param name="Details">Dialect, signing, encryption and round trip when connected.</param>
public sealed record SmbConnectionTestResult(bool Ok, string Message, SmbFailureReason Reason, string? Suggestion, IReadOnlyDictionary<string, string> Details);

/// <summary>Why a connection test failed.</summary>
public enum SmbFailureReason
{
    /// <summary>It did not fail.</summary>
    None,

    /// <summary>A setting is missing or out of range.</summary>
    Configuration,

    /// <summary>The host name does not resolve.</summary>
    NameResolution,

    /// <summary>Nothing accepts connections on the host and port.</summary>
    ConnectionRefused,

    /// <summary>The server did not answer in time.</summary>
    Timeout,

    /// <summary>The credentials were rejected.</summary>
    Authentication,

    /// <summary>The share does not exist.</summary>
    ShareNotFound,

    /// <summary>The root folder inside the share does not exist.</summary>
    RootNotFound,

    /// <summary>The user may not read the share or the root folder.</summary>
    AccessDenied,

    /// <summary>Signing or encryption cannot be had as required.</summary>
    SecurityMismatch,

    /// <summary>No common SMB dialect.</summary>
    DialectMismatch,

    /// <summary>Another network or protocol failure.</summary>
    Network,
}
