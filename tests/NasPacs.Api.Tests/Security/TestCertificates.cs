using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NasPacs.Testing;

namespace NasPacs.Api.Tests.Security;

/// <summary>A self-signed server certificate (CN=naspacs.test, SANs naspacs.test, localhost, 127.0.0.1) written as an operator would.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Folder = new TempFolder("naspacs-tls");
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=naspacs.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("naspacs.test");
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.Thumbprint;
        File.WriteAllBytes(PfxPath, certificate.Export(X509ContentType.Pfx, Password));
        File.WriteAllText(CertificatePemPath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPemPath, key.ExportPkcs8PrivateKeyPem());
    }

    public TempFolder Folder { get; }

    public string Password { get; } = "pfx-" + Guid.NewGuid().ToString("N");

    public string Thumbprint { get; }

    public string PfxPath => Path.Combine(Folder.Path, "server.pfx");

    public string CertificatePemPath => Path.Combine(Folder.Path, "server.crt");

    public string KeyPemPath => Path.Combine(Folder.Path, "server.key");

    public void Dispose() => Folder.Dispose();
}
