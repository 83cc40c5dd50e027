using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace NasPacs.Api.Security;

/// <summary>
/// On the first start (no user in <c>security.db</c>), creates the user <c>admin</c>. Its password comes from
/// <c>NasPacs:Security:AdminPassword</c>, the <c>NASPACS_ADMIN_PASSWORD</c> environment variable or
/// <c>NasPacs:Security:AdminPasswordFile</c>; with none of them, a random one-time secret is written to the console
/// (standard output only, never through the logger, so it does not reach log files or collectors).
/// </summary>
internal sealed class AdminBootstrap(
    UserStore users, IOptions<SecurityOptions> options, IConfiguration configuration, ILogger<AdminBootstrap> logger) : IHostedService
{
    public const string AdminName = "admin";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (users.Count() > 0)
        {
            return Task.CompletedTask;
        }

        var (password, source) = Configured();
        var printed = password is null;
        password ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        try
        {
            users.Create(AdminName, Roles.Admin, password);
        }
        catch (SecurityRequestException ex)
        {
            throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), [$"{source}: {ex.Message}"]);
        }

        if (printed)
        {
            Console.Out.WriteLine(
                $"""

                 ==================================================================
                  NasPacs first start: sign in as '{AdminName}' with this one-time password:

                      {password}

                  It is shown only now. Change it under Users after signing in.
                 ==================================================================

                """);
            Console.Out.Flush();
            logger.AdminCreated(AdminName, "a one-time password written to the console");
        }
        else
        {
            logger.AdminCreated(AdminName, source);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private (string? Password, string Source) Configured()
    {
        var settings = options.Value;
        if (!string.IsNullOrEmpty(settings.AdminPassword))
        {
            return (settings.AdminPassword, $"{SecurityOptions.Section}:AdminPassword");
        }

        var variable = configuration[SecurityOptions.AdminPasswordVariable];
        if (!string.IsNullOrEmpty(variable))
        {
            return (variable, SecurityOptions.AdminPasswordVariable);
        }

        if (!string.IsNullOrEmpty(settings.AdminPasswordFile))
        {
            var setting = $"{SecurityOptions.Section}:AdminPasswordFile";
            if (!File.Exists(settings.AdminPasswordFile))
            {
                throw new OptionsValidationException(SecurityOptions.Section, typeof(SecurityOptions), [$"{setting}: the file {settings.AdminPasswordFile} does not exist."]);
            }

            return (File.ReadLines(settings.AdminPasswordFile).FirstOrDefault()?.Trim(), setting);
        }

        return (null, "");
    }
}
