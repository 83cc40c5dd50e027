using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Security;

/// <summary>
/// Where secrets (NAS and Orthanc passwords, the certificate password) may come from besides the environment:
/// <list type="bullet">
/// <item>a folder of secret files, <c>NasPacs:SecretsPath</c> (one file per setting, named like the environment
/// variable: <c>NasPacs__Roots__nas__Password</c>; Docker and Kubernetes secrets mount this way);</item>
/// <item>any setting whose value is <c>protected:…</c>, made by <c>naspacs-server protect-secret</c> and decrypted at
/// start with ASP.NET Core Data Protection (key ring in <c>{DataPath}/keys</c>), so appsettings may hold it.</item>
/// </list>
/// </summary>
internal static class Secrets
{
    public const string ProtectedPrefix = "protected:";
    public const string ApplicationName = "NasPacs";
    private const string Purpose = "NasPacs.Secrets.v1";

    /// <summary>Adds the secret-file folder and decrypts protected values, before anything reads the configuration.</summary>
    public static WebApplicationBuilder AddSecrets(this WebApplicationBuilder builder)
    {
        var folder = builder.Configuration[$"{NasPacsOptions.Section}:SecretsPath"];
        if (!string.IsNullOrWhiteSpace(folder))
        {
            builder.Configuration.AddKeyPerFile(Path.GetFullPath(folder, builder.Environment.ContentRootPath), optional: false, reloadOnChange: false);
        }

        var protectedValues = builder.Configuration.AsEnumerable()
            .Where(pair => pair.Value?.StartsWith(ProtectedPrefix, StringComparison.Ordinal) == true)
            .ToList();
        if (protectedValues.Count > 0)
        {
            var protector = Protector(builder);
            var plain = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in protectedValues)
            {
                try
                {
                    plain[key] = protector.Unprotect(value![ProtectedPrefix.Length..]);
                }
                catch (CryptographicException)
                {
                    throw new OptionsValidationException(key, typeof(string), [
                        $"{key}: the protected value cannot be decrypted with the key ring in {KeysFolder(builder)} (made with another key ring, or damaged). Protect it again with 'protect-secret'.",
                    ]);
                }
            }

            builder.Configuration.AddInMemoryCollection(plain);
        }

        return builder;
    }

    /// <summary>
    /// <c>protect-secret</c>: reads one line from standard input and prints it protected, for a setting's value. Returns
    /// whether the command ran (then the server does not start).
    /// </summary>
    public static bool TryRunCommand(WebApplicationBuilder builder, string[] args)
    {
        if (args.Length == 0 || args[0] != "protect-secret")
        {
            return false;
        }

        var secret = Console.In.ReadLine();
        if (string.IsNullOrEmpty(secret))
        {
            Console.Error.WriteLine("protect-secret: write the secret on standard input (echo -n '…' | … protect-secret).");
            Environment.ExitCode = 2;
            return true;
        }

        Console.Out.WriteLine(ProtectedPrefix + Protector(builder).Protect(secret));
        return true;
    }

    /// <summary>Data Protection for the running server (session cookies, antiforgery, secrets), keys in <c>{DataPath}/keys</c>.</summary>
    /// <remarks>
    /// With <see cref="SecurityOptions.KeyRingCertificatePath"/> the keys are encrypted with that certificate at rest;
    /// without it they are stored in clear (the folder is the service account's only) and <see cref="KeyRingCheck"/> warns.
    /// </remarks>
    public static IServiceCollection AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName(ApplicationName);
        var certificate = KeyRingCertificate.From(configuration);
        if (certificate is not null)
        {
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.AddSingleton(new KeyRingCertificate(certificate));
        services.AddHostedService<KeyRingCheck>();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<NasPacsOptions>, IHostEnvironment, ILoggerFactory>((keys, options, environment, loggers) =>
            keys.XmlRepository = new FileSystemXmlRepository(EnsureFolder(KeysFolder(options.Value.DataPath, environment.ContentRootPath)), loggers));
        return services;
    }

    private static IDataProtector Protector(WebApplicationBuilder builder)
    {
        var folder = EnsureFolder(KeysFolder(builder));
        var certificate = KeyRingCertificate.From(builder.Configuration);
        var provider = certificate is null
            ? DataProtectionProvider.Create(folder, b => b.SetApplicationName(ApplicationName))
            : DataProtectionProvider.Create(folder, b => b.SetApplicationName(ApplicationName).UnprotectKeysWithAnyCertificate(certificate), certificate);
        return provider.CreateProtector(Purpose);
    }

    private static string KeysFolder(WebApplicationBuilder builder)
        => KeysFolder(builder.Configuration[$"{NasPacsOptions.Section}:DataPath"] ?? new NasPacsOptions().DataPath, builder.Environment.ContentRootPath);

    internal static string KeysFolder(string dataPath, string contentRoot) => Path.Combine(Path.GetFullPath(dataPath, contentRoot), "keys");

    private static DirectoryInfo EnsureFolder(string path)
    {
        var folder = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            // The key ring decrypts sessions and stored secrets: the service account only.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }
}
