using Microsoft.Extensions.Options;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Hosting;

/// <summary>
/// A wrong setting stops the start with one line per problem naming the setting and exit code 2, instead of the host's
/// "Hosting failed to start" and the runtime's report of an unhandled exception, both with stack traces.
/// </summary>
/// <remarks>
/// The settings are validated right after <c>Build()</c>, before the host logs anything about them, and the exception is
/// left unhandled so that <c>WebApplicationFactory</c> (which runs the program and starts the host itself) still sees
/// it; only the process's last-chance handler turns it into the message.
/// </remarks>
internal static class StartupCheck
{
    /// <summary>The process exit code when a setting is wrong (the CLI uses 2 for bad usage too).</summary>
    public const int InvalidSettingsExitCode = 2;

    /// <summary>Makes an unhandled <see cref="OptionsValidationException"/> end the process with its message and code 2.</summary>
    public static void ExplainWrongSettings() => AppDomain.CurrentDomain.UnhandledException += (_, e) =>
    {
        if (e.ExceptionObject is OptionsValidationException ex)
        {
            Explain(ex, Console.Error);
            Environment.Exit(InvalidSettingsExitCode);
        }
    };

    /// <summary>Validates every setting marked for start-up validation, and the roots' own indexing and SMB settings.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong.</exception>
    public static void ThrowIfInvalid(WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.GetRequiredService<RootCatalog>();
    }

    private static void Explain(OptionsValidationException ex, TextWriter error)
    {
        error.WriteLine("NasPacs did not start: a setting is wrong. Fix it and start again.");
        foreach (var failure in ex.Failures)
        {
            error.WriteLine("  - " + failure);
        }

        error.Flush();
    }
}
