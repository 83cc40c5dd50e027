using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: HTTPS with a configured certificate on the real server (Kestrel, real ports, a real TLS client).</summary>
public sealed class TransportTests
{
    [Theory]
    [InlineData("pfx")]
    [InlineData("pem")]
    public async Task Https_RealServer_PresentsTheCertificateRedirectsHttpAndSendsHsts(string format)
    {
        using var certificates = new TestCertificates();
        using var server = new ApiFactory(Https(certificates, format));
        var (https, http) = Addresses(server.StartKestrel());
        X509Certificate2? presented = null;
        using var client = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                presented = new X509Certificate2(certificate!);
                return certificate!.Thumbprint == certificates.Thumbprint;
            },
        });

        using var redirected = await client.GetAsync(http + "/login.html");
        using var page = await client.GetAsync(https + "/login.html");
        using var named = new HttpRequestMessage(HttpMethod.Get, https + "/login.html");
        named.Headers.Host = "naspacs.test:" + new Uri(https).Port;
        using var hsts = await client.SendAsync(named);
        using var session = await client.GetAsync(https + "/api/auth/session");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal(https + "/login.html", redirected.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(certificates.Thumbprint, presented!.Thumbprint);
        Assert.Equal("max-age=31536000", hsts.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.Contains(session.Headers.GetValues("Set-Cookie"), c => c.StartsWith("naspacs.csrf=", StringComparison.Ordinal) && c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Https_TlsClient_NegotiatesTls12OrLaterWithTheConfiguredCertificate()
    {
        using var certificates = new TestCertificates();
        using var server = new ApiFactory(Https(certificates, "pfx"));
        var (https, _) = Addresses(server.StartKestrel());
        var endpoint = new Uri(https);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) => certificate?.GetCertHashString() == certificates.Thumbprint);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "naspacs.test" });

        Assert.True(tls.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"Negotiated {tls.SslProtocol}.");
        Assert.Equal(certificates.Thumbprint, tls.RemoteCertificate!.GetCertHashString());
    }

    [Fact]
    public async Task Https_BehindTrustedProxy_ForwardedProtoHttpsIsNotRedirected()
    {
        using var certificates = new TestCertificates();
        var settings = Https(certificates, "pfx");
        settings["NasPacs:Proxy:KnownProxies:0"] = "127.0.0.1";
        using var server = new ApiFactory(settings);
        var (_, http) = Addresses(server.StartKestrel());
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var direct = await client.GetAsync(http + "/login.html");
        using var proxied = new HttpRequestMessage(HttpMethod.Get, http + "/login.html");
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        using var forwarded = await client.SendAsync(proxied);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, direct.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
    }

    [Fact]
    public void Start_HttpsWithoutCertificate_FailsNamingTheSetting()
    {
        using var server = new ApiFactory(new() { ["NasPacs:Https:Enabled"] = "true" });

        var ex = server.StartFailure();

        Assert.Contains("NasPacs:Https:CertificatePath", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_CertificateWithHttpsOff_FailsNamingTheSetting()
    {
        using var certificates = new TestCertificates();
        var settings = Https(certificates, "pfx");
        settings["NasPacs:Https:Enabled"] = "false";
        using var server = new ApiFactory(settings);

        var ex = server.StartFailure();

        Assert.Contains("NasPacs:Https:Enabled", ex.Message, StringComparison.Ordinal);
    }

    internal static Dictionary<string, string?> Https(TestCertificates certificates, string format) => new()
    {
        ["urls"] = "https://127.0.0.1:0;http://127.0.0.1:0",
        ["NasPacs:IndexEmptyRootsOnStart"] = "false",
        ["NasPacs:Https:Enabled"] = "true",
        ["NasPacs:Https:CertificatePath"] = format == "pfx" ? certificates.PfxPath : certificates.CertificatePemPath,
        ["NasPacs:Https:KeyPath"] = format == "pfx" ? null : certificates.KeyPemPath,
        ["NasPacs:Https:CertificatePassword"] = format == "pfx" ? certificates.Password : null,
    };

    private static (string Https, string Http) Addresses(IReadOnlyList<string> addresses)
        => (addresses.Single(a => a.StartsWith("https:", StringComparison.Ordinal)), addresses.Single(a => a.StartsWith("http:", StringComparison.Ordinal)));
}
