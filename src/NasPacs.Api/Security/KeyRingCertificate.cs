using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using NasPacs.Api.Hosting;

namespace NasPacs.Api.Security;

/// <summary>The certificate that encrypts the Data Protection key ring at rest, if one is configured.</summary>
internal sealed record KeyRingCertificate(X509Certificate2? Value)
{
    /// <summary>
    /// Loads <c>NasPacs:Security:KeyRingCertificatePath</c> while the services are composed (Data Protection needs it
    /// then); a missing file is left to <see cref="SecurityOptionsValidator"/>, which fails the start naming the setting.
    /// </summary>
    public static X509Certificate2? From(IConfiguration configuration)
    {
        var path = configuration[$"{SecurityOptions.Section}:KeyRingCertificatePath"];
        return string.IsNullOrWhiteSpace(path) || !File.Exists(path)
            ? null
            : X509CertificateLoader.LoadPkcs12FromFile(path, configuration[$"{SecurityOptions.Section}:KeyRingCertificatePassword"]);
    }
}

/// <summary>Says at start whether the key ring is encrypted at rest (never a secret, only the folder and the choice).</summary>
internal sealed class KeyRingCheck(KeyRingCertificate certificate, IOptions<NasPacsOptions> options, IHostEnvironment environment, ILogger<KeyRingCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Secrets.KeysFolder(options.Value.DataPath, environment.ContentRootPath);
        if (certificate.Value is { } cert)
        {
            logger.KeyRingProtected(folder, cert.Thumbprint);
        }
        else
        {
            logger.KeyRingUnencrypted(folder);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
