using NasPacs.Smb;

namespace NasPacs.Cli;

/// <summary>
/// An <c>smb://host[:port]/share/path</c> root for <c>naspacs index</c>, read through NasPacs's own SMB client. The login
/// comes from the environment only: a password on the command line would be visible to every user of the machine
/// (<c>ps</c>) and kept in shell histories.
/// </summary>
internal static class SmbLogin
{
    public const string UserVariable = "NASPACS_SMB_USER";
    public const string PasswordVariable = "NASPACS_SMB_PASSWORD";
    public const string DomainVariable = "NASPACS_SMB_DOMAIN";

    public static bool IsSmbRoot(string root) => root.StartsWith("smb://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The login in the environment, or <see langword="null"/> when no user is set.</summary>
    public static SmbOptions? FromEnvironment()
    {
        var user = Environment.GetEnvironmentVariable(UserVariable);
        return string.IsNullOrEmpty(user)
            ? null
            : new SmbOptions
            {
                User = user,
                Password = Environment.GetEnvironmentVariable(PasswordVariable) ?? string.Empty,
                Domain = Environment.GetEnvironmentVariable(DomainVariable) ?? string.Empty,
            };
    }
}
