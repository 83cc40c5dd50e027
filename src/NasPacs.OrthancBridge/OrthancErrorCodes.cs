namespace NasPacs.OrthancBridge;

/// <summary>Stable error codes of the Orthanc bridge (the shared ones live in <c>NasPacs.Abstractions.Errors.ErrorCodes</c>).</summary>
public static class OrthancErrorCodes
{
    /// <summary><c>NasPacs:Orthanc:Url</c> is not set.</summary>
    public const string NotConfigured = "orthanc.not-configured";

    /// <summary>Orthanc cannot be reached (connection refused, name not resolved, connection dropped).</summary>
    public const string Unreachable = "orthanc.unreachable";

    /// <summary>A request to Orthanc timed out.</summary>
    public const string Timeout = "orthanc.timeout";

    /// <summary>Orthanc failed again and again; requests are held back for a moment (circuit open).</summary>
    public const string CircuitOpen = "orthanc.circuit-open";

    /// <summary>Orthanc rejected the user name or password (HTTP 401/403).</summary>
    public const string AuthenticationFailed = "orthanc.auth-failed";

    /// <summary>A metadata name is not declared in Orthanc's <c>UserMetadata</c> (404) or is reserved (403).</summary>
    public const string MetadataNotDeclared = "orthanc.metadata-not-declared";

    /// <summary>Orthanc refused one file (HTTP 400); the push goes on with the others.</summary>
    public const string InstanceRejected = "orthanc.instance-rejected";

    /// <summary>A file of the series could not be read from the NAS; the push goes on with the others.</summary>
    public const string FileUnreadable = "orthanc.file-unreadable";

    /// <summary>Orthanc's storage is full or cannot be written.</summary>
    public const string StorageFull = "orthanc.storage-full";

    /// <summary>Orthanc answered with a server error (5xx).</summary>
    public const string ServerError = "orthanc.server-error";

    /// <summary>Orthanc answered something the bridge did not expect.</summary>
    public const string UnexpectedResponse = "orthanc.unexpected-response";

    /// <summary>The series key is not in the index.</summary>
    public const string SeriesNotIndexed = "orthanc.series-not-indexed";

    /// <summary>After the push, Orthanc holds a different number of instances than the NAS.</summary>
    public const string CountMismatch = "orthanc.count-mismatch";

    /// <summary>The push strategy cannot work with this Orthanc (for example "adopt" before 1.12.8).</summary>
    public const string StrategyUnsupported = "orthanc.strategy-unsupported";
}
