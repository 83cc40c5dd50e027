using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using NasPacs.Testing;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: the Data Protection key ring in the data folder, encrypted at rest with a configured certificate.</summary>
public sealed class KeyRingTests
{
    [Fact]
    public void KeyRing_WithCertificate_IsEncryptedAtRestAndReadableAfterRestart()
    {
        using var data = new TempFolder("naspacs-keys");
        using var certificates = new TestCertificates();
        var settings = Settings(data, certificates);

        string protectedValue;
        using (var first = new ApiFactory(settings))
        {
            protectedValue = Protector(first).Protect("sample-value");
            Assert.Contains(first.Logs.Lines, l => l.Contains("is encrypted with the certificate", StringComparison.Ordinal));
        }

        var keyFiles = Directory.GetFiles(Path.Combine(data.Path, "keys"), "key-*.xml");
        using var second = new ApiFactory(settings);

        Assert.NotEmpty(keyFiles);
        Assert.All(keyFiles, f =>
        {
            var xml = File.ReadAllText(f);
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
        Assert.Equal("sample-value", Protector(second).Unprotect(protectedValue));
    }

    [Fact]
    public void KeyRing_EncryptedWithCertificate_CannotBeReadWithoutIt()
    {
        using var data = new TempFolder("naspacs-keys");
        using var certificates = new TestCertificates();
        string protectedValue;
        using (var first = new ApiFactory(Settings(data, certificates)))
        {
            protectedValue = Protector(first).Protect("sample-value");
        }

        using var second = new ApiFactory(new() { ["NasPacs:DataPath"] = data.Path, ["NasPacs:IndexEmptyRootsOnStart"] = "false" });

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => Protector(second).Unprotect(protectedValue));
    }

    [Fact]
    public void KeyRing_WithoutCertificate_WarnsAtStartWithoutSecrets()
    {
        using var server = new ApiFactory(new() { ["NasPacs:IndexEmptyRootsOnStart"] = "false" });

        Protector(server).Protect("sample-value");

        var warning = Assert.Single(server.Logs.Lines, l => l.Contains("is not encrypted at rest", StringComparison.Ordinal));
        Assert.Contains("NasPacs:Security:KeyRingCertificatePath", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AdminPassword, warning, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(TempFolder data, TestCertificates certificates) => new()
    {
        ["NasPacs:DataPath"] = data.Path,
        ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        ["NasPacs:Security:KeyRingCertificatePath"] = certificates.PfxPath,
        ["NasPacs:Security:KeyRingCertificatePassword"] = certificates.Password,
    };

    private static IDataProtector Protector(ApiFactory server)
        => server.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("NasPacs.Tests.KeyRing");
}
