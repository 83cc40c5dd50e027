using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NasPacs.OrthancBridge.Client;

/// <summary>Turns HTTP answers and transport failures into classified <see cref="OrthancException"/>s, each with a suggestion.</summary>
internal static class OrthancErrors
{
    // Orthanc's own error codes (OrthancFramework/Sources/Enumerations.h) that say the same as an HTTP status would.
    private const int OrthancInexistentItem = 7;
    private const int OrthancCannotWriteFile = 14;
    private const int OrthancUnknownResource = 17;
    private const int OrthancFullStorage = 19;
    private const int OrthancInexistentTag = 21;

    public static OrthancException NotConfigured() => new(
        ErrorCategory.Configuration, OrthancErrorCodes.NotConfigured,
        "No Orthanc server is configured.",
        "Set NasPacs:Orthanc:Url (for example http://orthanc:8042), NasPacs:Orthanc:Username, and the password through the environment variable NasPacs__Orthanc__Password or user secrets (see docs/orthanc.md).",
        isTransient: false);

    public static OrthancException Unreachable(Uri url, Exception inner) => new(
        ErrorCategory.Network, OrthancErrorCodes.Unreachable,
        $"Orthanc at {url} cannot be reached ({Describe(inner)}).",
        "Check that Orthanc is running and that NasPacs:Orthanc:Url names its HTTP port (8042 by default); check firewalls and Orthanc's RemoteAccessAllowed.",
        isTransient: true, innerException: inner);

    public static OrthancException Timeout(Uri url, Exception inner) => new(
        ErrorCategory.Network, OrthancErrorCodes.Timeout,
        $"Orthanc at {url} did not answer in time.",
        "Orthanc may be overloaded or the network slow: lower NasPacs:Orthanc:MaxConcurrency or raise NasPacs:Orthanc:RequestTimeout.",
        isTransient: true, innerException: inner);

    public static OrthancException CircuitOpen(Uri url, Exception inner) => new(
        ErrorCategory.Network, OrthancErrorCodes.CircuitOpen,
        $"Orthanc at {url} failed repeatedly; requests are paused for a moment.",
        "Check Orthanc's log and that it is running; the push can be started again and resumes where it stopped.",
        isTransient: true, innerException: inner);

    public static OrthancException FileUnreadable(FileSourceException inner, string path) => new(
        inner.Category, OrthancErrorCodes.FileUnreadable,
        $"The file could not be read from the NAS: {inner.Message}",
        "Check that the file still exists and is readable; run the indexer again if the NAS changed.",
        inner.IsTransient, path: path, innerException: inner);

    public static OrthancException SeriesNotIndexed(string seriesKey) => new(
        ErrorCategory.Configuration, OrthancErrorCodes.SeriesNotIndexed,
        $"The series '{seriesKey}' is not in the index.",
        "Search again: the series may have been removed by the last indexing run.",
        isTransient: false);

    /// <summary>Classifies a transport failure: refused, reset, unresolved, timed out.</summary>
    public static OrthancException FromTransport(Uri url, Exception ex) => ex switch
    {
        OrthancException o => o,
        TimeoutRejectedException => Timeout(url, ex),
        BrokenCircuitException => CircuitOpen(url, ex),
        TaskCanceledException { InnerException: TimeoutException } => Timeout(url, ex),
        _ => Unreachable(url, ex),
    };

    /// <summary>Classifies a non-success answer; <paramref name="path"/> is the NAS file being sent, if any.</summary>
    public static OrthancException FromResponse(Uri url, HttpStatusCode status, string body, string? path = null, bool metadata = false)
    {
        var (orthancStatus, orthancMessage, details) = Parse(body);
        var code = (int)status;
        var detail = orthancMessage is null ? $"HTTP {code}" : $"HTTP {code}: {orthancMessage}";
        if (status == HttpStatusCode.InsufficientStorage || orthancStatus is OrthancFullStorage or OrthancCannotWriteFile)
        {
            return new(ErrorCategory.System, OrthancErrorCodes.StorageFull,
                $"Orthanc cannot store more files ({detail}).",
                "Free space on Orthanc's StorageDirectory disk or raise its MaximumStorageSize, then push again: what is stored stays.",
                isTransient: false, code, path);
        }

        if (status == HttpStatusCode.Unauthorized || (status == HttpStatusCode.Forbidden && !metadata))
        {
            return new(ErrorCategory.Authentication, OrthancErrorCodes.AuthenticationFailed,
                $"Orthanc at {url} rejected the credentials ({detail}).",
                "Check NasPacs:Orthanc:Username and the password (NasPacs__Orthanc__Password) against Orthanc's RegisteredUsers; with RemoteAccessAllowed false Orthanc also refuses remote clients.",
                isTransient: false, code);
        }

        if (metadata && (status == HttpStatusCode.Forbidden || orthancStatus == OrthancInexistentItem))
        {
            return new(ErrorCategory.Configuration, OrthancErrorCodes.MetadataNotDeclared,
                $"Orthanc does not accept the metadata name ({detail}): it is not declared in its UserMetadata, or is reserved.",
                "Add the NasPacs names to Orthanc's configuration, \"UserMetadata\": { \"NasSource\": 4500, \"NasPath\": 4501, \"NasSeriesKey\": 4502, \"NasPushTime\": 4503, \"NasFileCount\": 4504, \"NasManifestHash\": 4505 }, restart Orthanc and push again (see docs/orthanc.md).",
                isTransient: false, code);
        }

        if (path is not null && (status == HttpStatusCode.BadRequest || (status == HttpStatusCode.NotFound && orthancStatus == OrthancInexistentTag)))
        {
            // 400: not DICOM to Orthanc; 404 "Inexistent tag": a Patient, Study, Series or SOP UID is missing.
            return new(ErrorCategory.Dicom, OrthancErrorCodes.InstanceRejected,
                $"Orthanc rejected the file ({detail}{(details is null ? "" : "; " + details)}).",
                "Open the file with a DICOM viewer or dcmdump: it may be damaged or lack required UIDs. The other files of the series were pushed.",
                isTransient: false, code, path);
        }

        if (code >= 500)
        {
            return new(ErrorCategory.System, OrthancErrorCodes.ServerError,
                $"Orthanc failed ({detail}).",
                "See Orthanc's log; the request is retried and the push can be started again.",
                isTransient: code is 500 or 502 or 503 or 504, code, path);
        }

        return new(ErrorCategory.System, OrthancErrorCodes.UnexpectedResponse,
            $"Orthanc answered unexpectedly ({detail}).",
            "Check that NasPacs:Orthanc:Url points at Orthanc itself and not at a proxy page.",
            isTransient: false, code, path);
    }

    /// <summary>Whether an answer means "the resource does not exist" (and not "the metadata name is unknown").</summary>
    public static bool IsUnknownResource(HttpStatusCode status, string body)
        => status == HttpStatusCode.NotFound && Parse(body).Status is null or OrthancUnknownResource;

    private static (int? Status, string? Message, string? Details) Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return (null, null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            int? status = root.TryGetProperty("OrthancStatus", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : null;
            var message = root.TryGetProperty("OrthancError", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var details = root.TryGetProperty("Details", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return (status, message, details);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name cannot be resolved",
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "connection refused",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "cannot connect",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection closed before the answer",
        HttpRequestException or IOException or SocketException => "the connection failed",
        _ => ex.GetType().Name,
    };
}
