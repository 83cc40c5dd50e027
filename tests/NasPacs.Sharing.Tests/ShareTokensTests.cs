namespace NasPacs.Sharing.Tests;

public sealed class ShareTokensTests
{
    [Fact]
    public void Create_Always43UrlSafeCharactersOf256Bits()
    {
        for (var i = 0; i < 200; i++)
        {
            var token = ShareTokens.Create();
            Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
            Assert.True(ShareTokens.IsWellFormed(token));
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%2")]
    [InlineData("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public void IsWellFormed_NotAToken_False(string? token) => Assert.False(ShareTokens.IsWellFormed(token));

    [Fact]
    public void Hash_IsSha256OfTheToken()
    {
        var hash = ShareTokens.Hash("abc");

        Assert.Equal("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", Convert.ToHexString(hash));
        Assert.True(ShareTokens.HashesEqual(hash, ShareTokens.Hash("abc")));
        Assert.False(ShareTokens.HashesEqual(hash, ShareTokens.Hash("abd")));
    }
}
