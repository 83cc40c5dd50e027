using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

/// <summary>Client settings for a test <see cref="SambaServer"/>.</summary>
internal static class SambaServerOptions
{
    public static SmbOptions Options(this SambaServer server, Action<SmbOptions>? configure = null)
    {
        var options = new SmbOptions
        {
            Host = SambaServer.Host,
            Port = server.Port,
            Share = SambaServer.ShareName,
            User = SambaServer.UserName,
            Password = SambaServer.Password,
            RetryDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return options;
    }
}
