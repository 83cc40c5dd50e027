using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NasPacs.Smb.Tests;

public sealed class SmbOptionsTests
{
    [Theory]
    [InlineData("smb://nas/dicom", "nas", 445, "dicom", "")]
    [InlineData("smb://nas:4450/dicom/a/b", "nas", 4450, "dicom", "a/b")]
    [InlineData("SMB://10.0.0.5/share/with%20space/%23x", "10.0.0.5", 445, "share", "with space/#x")]
    [InlineData("smb://[::1]:1445/s/", "::1", 1445, "s", "")]
    public void WithUri_ValidUri_FillsHostPortShareRoot(string uri, string host, int port, string share, string root)
    {
        var options = new SmbOptions { Port = 999 }.WithUri(uri);

        Assert.Equal((host, port, share, root), (options.Host, options.Port, options.Share, options.RootPath));
    }

    [Theory]
    [InlineData("http://nas/share")]
    [InlineData("smb://nas")]
    [InlineData("smb://user:pw@nas/share")]
    [InlineData("smb://nas:port/share")]
    public void WithUri_InvalidUri_ThrowsArgumentException(string uri)
    {
        Assert.Throws<ArgumentException>(() => new SmbOptions().WithUri(uri));
    }

    [Fact]
    public void Validate_Defaults_NamesEveryMissingSetting()
    {
        var problems = new SmbOptions().Validate();

        Assert.Contains(problems, p => p.StartsWith("Smb:Host", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Smb:Share", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Smb:User", StringComparison.Ordinal));
    }

    [Fact]
    public void DisplayName_NeverShowsPassword()
    {
        var options = new SmbOptions { Host = "nas", Share = "s", RootPath = "a/b", User = "u", Password = "hunter2" };

        Assert.Equal("smb://nas/s/a/b", options.DisplayName);
        Assert.DoesNotContain("hunter2", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AddSmbFileSources_OutOfRangeSetting_FailsNamingIt()
    {
        using var provider = new ServiceCollection().AddSmbFileSources(o => o.PoolSize = 99).Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SmbOptions>>().Value);

        Assert.Contains("Smb:PoolSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSmbFileSources_SharedSectionWithoutHost_IsValid()
    {
        using var provider = new ServiceCollection().AddSmbFileSources(o => o.User = "u").Services.BuildServiceProvider();

        Assert.Equal("u", provider.GetRequiredService<IOptions<SmbOptions>>().Value.User);
        Assert.NotNull(provider.GetRequiredService<SmbFileSourceFactory>());
    }
}
