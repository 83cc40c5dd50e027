using System.Net;

namespace NasPacs.Api.Tests.Security;

/// <summary>Issue #8: load balancers read health without credentials; only admins see which roots and why.</summary>
public sealed class HealthAccessTests
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_NoCredentials_AnswersStatusOnly(string url)
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/secret-folder", ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateAnonymousClient();

        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        var body = await response.BodyAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["status"], body.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("gone", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-folder", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("operator")]
    public async Task HealthReady_NonAdmin_AnswersStatusOnly(string role)
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/nas", ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient(role);

        var body = await client.JsonAsync("/health/ready");

        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.False(body.TryGetProperty("checks", out _));
    }

    [Fact]
    public async Task HealthReady_Admin_SeesTheChecks()
    {
        using var factory = new ApiFactory(new() { ["NasPacs:Roots:gone:Path"] = "/nonexistent/naspacs/nas", ["NasPacs:IndexEmptyRootsOnStart"] = "false" });
        using var client = factory.CreateClient("admin");

        var body = await client.JsonAsync("/health/ready");

        Assert.Equal("degraded", body.GetProperty("status").GetString());
        Assert.Contains("gone", body.GetProperty("checks").GetProperty("nas-roots").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
