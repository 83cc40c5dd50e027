using Microsoft.Extensions.Options;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Hosting;

/// <summary>
/// A wrong setting stops the start with one line per problem naming the setting and exit code 2, instead of the host's
/// "Hosting failed to start" and the runtime's report of an unhandled exception, both with stack traces.
/// </summary>
/// <remarks>
/// The program validates the settings right after <c>Build()</c>, before the host logs anything about them, and catches
/// the <see cref="OptionsValidationException"/> in <c>Main</c> so that it returns normally (a last-chance handler that
/// ends the process from inside the exception was tried: it could hang). Under <c>WebApplicationFactory</c>, which runs
/// the program and must see the host start or fail, the exception is left to the factory.
/// </remarks>
internal static class StartupCheck
{
    /// <summary>The process exit code when a setting is wrong (the CLI uses 2 for bad usage too).</summary>
    public const int InvalidSettingsExitCode = 2;

    /// <summary>Whether the program runs inside ASP.NET Core's test host (its assembly is never loaded otherwise).</summary>
    public static bool InTestHost =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.AspNetCore.TestHost");

    /// <summary>Validates every setting marked for start-up validation, and the roots' own indexing and SMB settings.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong.</exception>
    public static void ThrowIfInvalid(WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        app.Services.GetRequiredService<RootCatalog>();
    }

    /// <summary>Prints the problems of <paramref name="ex"/> to <paramref name="error"/> and sets the exit code.</summary>
    public static void Explain(OptionsValidationException ex, TextWriter error)
    {
        error.WriteLine("NasPacs did not start: a setting is wrong. Fix it and start again.");
        foreach (var failure in ex.Failures)
        {
            error.WriteLine("  - " + failure);
        }

        error.Flush();
        Environment.ExitCode = InvalidSettingsExitCode;
    }
}
