namespace NasPacs.Abstractions.Errors;

/// <summary>The error classes of the design: what went wrong, broadly, so that a person knows where to look.</summary>
public enum ErrorCategory
{
    /// <summary>Connection timeouts, refused connections, name resolution, dropped sessions.</summary>
    Network,

    /// <summary>Invalid credentials, permission denied by the server.</summary>
    Authentication,

    /// <summary>Path not found, access denied, a file that vanished or could not be read.</summary>
    FileSystem,

    /// <summary>A file that is not DICOM, is truncated or is malformed, or lacks required tags.</summary>
    Dicom,

    /// <summary>Out of memory, disk full, database errors, anything inside NasPacs itself.</summary>
    System,

    /// <summary>A setting that is missing or wrong.</summary>
    Configuration,
}
