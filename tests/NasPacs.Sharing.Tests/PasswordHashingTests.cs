namespace NasPacs.Sharing.Tests;

public sealed class PasswordHashingTests
{
    [Fact]
    public void Verify_SamePassword_True_OtherPassword_False()
    {
        var stored = PasswordHashing.Hash("correct horse", 10_000);

        Assert.True(PasswordHashing.Verify("correct horse", stored));
        Assert.False(PasswordHashing.Verify("correct horsf", stored));
        Assert.False(PasswordHashing.Verify("", stored));
    }

    [Fact]
    public void Hash_SamePasswordTwice_DiffersBySalt()
        => Assert.NotEqual(PasswordHashing.Hash("correct horse", 10_000), PasswordHashing.Hash("correct horse", 10_000));

    [Fact]
    public void Verify_HashWithOtherIterationCount_StillVerifies()
    {
        var old = PasswordHashing.Hash("correct horse", 20_000);

        Assert.StartsWith("pbkdf2-sha256$20000$", old, StringComparison.Ordinal);
        Assert.True(PasswordHashing.Verify("correct horse", old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("md5$abc")]
    [InlineData("pbkdf2-sha256$x$AAAA$AAAA")]
    public void Verify_UnknownFormat_False(string stored) => Assert.False(PasswordHashing.Verify("anything", stored));

    [Fact]
    public void Pbkdf2_KnownVector_MatchesRfc7914()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1, dkLen=64.
        var key = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2("passwd"u8, "salt"u8, 1, System.Security.Cryptography.HashAlgorithmName.SHA256, 64);

        Assert.StartsWith("55AC046E56E3089FEC1691C22544B605", Convert.ToHexString(key), StringComparison.Ordinal);
    }
}
