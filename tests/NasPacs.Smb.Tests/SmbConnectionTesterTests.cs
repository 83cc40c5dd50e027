using NasPacs.Testing.Samba;

namespace NasPacs.Smb.Tests;

public sealed class SmbConnectionTesterTests : IDisposable
{
    private readonly SambaServer _samba = SambaServer.Start();

    [Fact]
    public async Task TestAsync_GoodSettings_ReportsDialectSecurityAndRoundTrip()
    {
        var result = await new SmbConnectionTester().TestAsync(_samba.Options());

        Assert.True(result.Ok, result.Message);
        Assert.Equal(SmbFailureReason.None, result.Reason);
        Assert.Equal("3.1.1", result.Details["dialect"]);
        Assert.Equal("Aes128Gcm", result.Details["encryption"]);
        Assert.True(double.Parse(result.Details["round_trip_ms"], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Theory]
    [InlineData("password", SmbFailureReason.Authentication)]
    [InlineData("share", SmbFailureReason.ShareNotFound)]
    [InlineData("root", SmbFailureReason.RootNotFound)]
    [InlineData("port", SmbFailureReason.ConnectionRefused)]
    [InlineData("user", SmbFailureReason.Configuration)]
    public async Task TestAsync_WrongSetting_ReportsReasonAndSuggestion(string wrong, SmbFailureReason expected)
    {
        var options = _samba.Options(o =>
        {
            switch (wrong)
            {
                case "password": o.Password = "not-the-password"; break;
                case "share": o.Share = "nosuch"; break;
                case "root": o.RootPath = "no/such/folder"; break;
                case "port": o.Port = 1; break;
                default: o.User = string.Empty; break;
            }
        });

        var result = await new SmbConnectionTester().TestAsync(options);

        Assert.False(result.Ok);
        Assert.Equal(expected, result.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Suggestion));
        Assert.DoesNotContain("not-the-password", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsOf_AfterListingAndReads_CountsThem()
    {
        File.WriteAllText(Path.Combine(_samba.ShareFolder, "a.dcm"), "abc");
        File.WriteAllText(Path.Combine(_samba.ShareFolder, "b.dcm"), "def");
        await using var source = new SmbFileSourceFactory().Create(_samba.Options());
        await foreach (var entry in source.EnumerateAsync(new Abstractions.Files.FileEnumerationOptions()))
        {
            await source.ReadPrefixAsync(entry.RelativePath, new byte[10]);
        }

        var metrics = SmbFileSourceFactory.MetricsOf(source)!;

        Assert.Equal(2, metrics.FilesListed);
        Assert.Equal(2, metrics.PrefixReads);
        Assert.Equal("3.1.1", metrics.Dialect);
        Assert.True(metrics.RoundTrip > TimeSpan.Zero);
    }

    public void Dispose() => _samba.Dispose();
}
