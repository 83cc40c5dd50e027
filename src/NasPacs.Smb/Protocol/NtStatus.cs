using System.Globalization;

namespace NasPacs.Smb.Protocol;

/// <summary>NTSTATUS values this client acts on (MS-ERREF §2.3.1).</summary>
internal static class NtStatus
{
    public const uint Success = 0x00000000;
    public const uint Pending = 0x00000103;
    public const uint NoMoreFiles = 0x80000006;
    public const uint BufferOverflow = 0x80000005;
    public const uint MoreProcessingRequired = 0xC0000016;
    public const uint InvalidParameter = 0xC000000D;
    public const uint InvalidInfoClass = 0xC0000003;
    public const uint NoSuchFile = 0xC000000F;
    public const uint EndOfFile = 0xC0000011;
    public const uint AccessDenied = 0xC0000022;
    public const uint ObjectNameInvalid = 0xC0000033;
    public const uint ObjectNameNotFound = 0xC0000034;
    public const uint ObjectNameCollision = 0xC0000035;
    public const uint ObjectPathInvalid = 0xC0000039;
    public const uint ObjectPathNotFound = 0xC000003A;
    public const uint ObjectPathSyntaxBad = 0xC000003B;
    public const uint SharingViolation = 0xC0000043;
    public const uint DeletePending = 0xC0000056;
    public const uint LogonFailure = 0xC000006D;
    public const uint AccountRestriction = 0xC000006E;
    public const uint PasswordExpired = 0xC0000071;
    public const uint AccountDisabled = 0xC0000072;
    public const uint InsufficientResources = 0xC000009A;
    public const uint FileIsADirectory = 0xC00000BA;
    public const uint NotSupported = 0xC00000BB;
    public const uint NetworkNameDeleted = 0xC00000C9;
    public const uint BadNetworkName = 0xC00000CC;
    public const uint RequestNotAccepted = 0xC00000D0;
    public const uint NotADirectory = 0xC0000103;
    public const uint Cancelled = 0xC0000120;
    public const uint FileClosed = 0xC0000128;
    public const uint UserSessionDeleted = 0xC0000203;
    public const uint NetworkSessionExpired = 0xC000035C;
    public const uint AccountLockedOut = 0xC0000234;
    public const uint InvalidDeviceRequest = 0xC0000010;

    public static bool IsError(uint status) => (status & 0xC0000000) == 0xC0000000;

    /// <summary>A name for the status, for messages.</summary>
    public static string Describe(uint status) => status switch
    {
        Success => "STATUS_SUCCESS",
        Pending => "STATUS_PENDING",
        NoMoreFiles => "STATUS_NO_MORE_FILES",
        MoreProcessingRequired => "STATUS_MORE_PROCESSING_REQUIRED",
        InvalidParameter => "STATUS_INVALID_PARAMETER",
        InvalidInfoClass => "STATUS_INVALID_INFO_CLASS",
        NoSuchFile => "STATUS_NO_SUCH_FILE",
        EndOfFile => "STATUS_END_OF_FILE",
        AccessDenied => "STATUS_ACCESS_DENIED",
        ObjectNameInvalid => "STATUS_OBJECT_NAME_INVALID",
        ObjectNameNotFound => "STATUS_OBJECT_NAME_NOT_FOUND",
        ObjectPathNotFound => "STATUS_OBJECT_PATH_NOT_FOUND",
        SharingViolation => "STATUS_SHARING_VIOLATION",
        DeletePending => "STATUS_DELETE_PENDING",
        LogonFailure => "STATUS_LOGON_FAILURE",
        AccountDisabled => "STATUS_ACCOUNT_DISABLED",
        AccountLockedOut => "STATUS_ACCOUNT_LOCKED_OUT",
        PasswordExpired => "STATUS_PASSWORD_EXPIRED",
        FileIsADirectory => "STATUS_FILE_IS_A_DIRECTORY",
        NotADirectory => "STATUS_NOT_A_DIRECTORY",
        NotSupported => "STATUS_NOT_SUPPORTED",
        BadNetworkName => "STATUS_BAD_NETWORK_NAME",
        NetworkNameDeleted => "STATUS_NETWORK_NAME_DELETED",
        UserSessionDeleted => "STATUS_USER_SESSION_DELETED",
        NetworkSessionExpired => "STATUS_NETWORK_SESSION_EXPIRED",
        InsufficientResources => "STATUS_INSUFFICIENT_RESOURCES",
        _ => "NTSTATUS 0x" + status.ToString("X8", CultureInfo.InvariantCulture),
    };
}
