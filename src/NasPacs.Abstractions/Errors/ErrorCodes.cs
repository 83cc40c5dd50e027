namespace NasPacs.Abstractions.Errors;

/// <summary>Stable error codes shared by the libraries, so that the UI and the API can explain them the same way.</summary>
public static class ErrorCodes
{
    /// <summary>A folder could not be listed.</summary>
    public const string FolderUnreadable = "fs.folder-unreadable";

    /// <summary>A file could not be opened or read.</summary>
    public const string FileUnreadable = "fs.file-unreadable";

    /// <summary>A file disappeared between listing and reading.</summary>
    public const string FileVanished = "fs.file-vanished";

    /// <summary>Access to a file or folder was denied.</summary>
    public const string AccessDenied = "fs.access-denied";

    /// <summary>The root itself does not exist or cannot be reached.</summary>
    public const string RootUnreachable = "fs.root-unreachable";

    /// <summary>A generic I/O failure.</summary>
    public const string IoError = "fs.io-error";

    /// <summary>A file with a DICOM extension that is not DICOM.</summary>
    public const string NotDicom = "dicom.not-dicom";

    /// <summary>A DICOM file that ends before its header does.</summary>
    public const string Truncated = "dicom.truncated";

    /// <summary>A DICOM file whose header cannot be parsed.</summary>
    public const string Malformed = "dicom.malformed";

    /// <summary>
    /// A DICOM file read without error whose header lacks a Study, Series or SOP Instance UID (Type 1, PS3.3): indexed,
    /// but most often a copy cut short at an element boundary.
    /// </summary>
    public const string IncompleteHeader = "dicom.incomplete-header";

    /// <summary>A connection failed or dropped.</summary>
    public const string NetworkFailure = "net.failure";

    /// <summary>A request timed out.</summary>
    public const string Timeout = "net.timeout";

    /// <summary>The server rejected the credentials.</summary>
    public const string AuthenticationFailed = "auth.failed";

    /// <summary>Another run holds the index file (one run per index at a time). Not transient for the caller: wait or cancel it.</summary>
    public const string IndexBusy = "index.busy";

    /// <summary>The index file belongs to another root folder (one index file per root).</summary>
    public const string IndexOtherRoot = "index.other-root";

    /// <summary>The index was written by a newer NasPacs, whose schema this one does not know.</summary>
    public const string IndexNewerSchema = "index.newer-schema";
}
