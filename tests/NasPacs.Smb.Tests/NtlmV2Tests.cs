using System.Text;
using NasPacs.Smb.Auth;
using NasPacs.Smb.Crypto;

namespace NasPacs.Smb.Tests;

/// <summary>Known answers from MS-NLMP §4.2 (user "User", domain "Domain", password "Password").</summary>
public sealed class NtlmV2Tests
{
    [Fact]
    public void Md4_PasswordOfSpecExample_MatchesNtowfV1()
    {
        Assert.Equal("A4F49C406510BDCAB6824EE7C30FD852", Convert.ToHexString(Primitives.Md4(Encoding.Unicode.GetBytes("Password"))));
    }

    [Fact]
    public void ResponseKey_SpecExample_MatchesNtowfV2()
    {
        Assert.Equal("0C868A403BFD7A93A3001EF22EF02E3F", Convert.ToHexString(NtlmV2.ResponseKey(new NtlmCredential("Domain", "User", "Password"))));
    }

    [Fact]
    public void Authenticate_Challenge_BuildsAuthenticateWithMicAndNoPasswordText()
    {
        var ntlm = new NtlmV2();

        var message = ntlm.Authenticate(ResponseSamples.NtlmChallenge(), new NtlmCredential("Domain", "User", "Password"), "nas", DateTimeOffset.UnixEpoch);

        Assert.Equal("NTLMSSP\0"u8.ToArray(), message[..8]);
        Assert.Equal(3, BitConverter.ToInt32(message, 8));
        Assert.NotEqual(new byte[16], message[NtlmMessages.MicOffset..(NtlmMessages.MicOffset + 16)]);
        Assert.Equal(16, ntlm.SessionKey.Length);
        Assert.DoesNotContain("Password", Encoding.Unicode.GetString(message), StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyServerFirstMessage_ClientsOwnMechListMic_ReturnsFalse()
    {
        // A server (or a man in the middle) that reflects the client's mechListMIC must not pass: each direction has its own keys.
        var ntlm = new NtlmV2();
        ntlm.Authenticate(ResponseSamples.NtlmChallenge(), new NtlmCredential("Domain", "User", "Password"), "nas", DateTimeOffset.UnixEpoch);
        var mechList = Spnego.MechTypeList();

        var reflected = ntlm.SignFirstMessage(mechList);

        Assert.Equal(16, reflected.Length);
        Assert.False(ntlm.VerifyServerFirstMessage(mechList, reflected));
    }

    [Fact]
    public void VerifyServerFirstMessage_TruncatedMic_ReturnsFalse()
    {
        var ntlm = new NtlmV2();
        ntlm.Authenticate(ResponseSamples.NtlmChallenge(), new NtlmCredential("Domain", "User", "Password"), "nas", DateTimeOffset.UnixEpoch);

        Assert.False(ntlm.VerifyServerFirstMessage(Spnego.MechTypeList(), new byte[8]));
    }

    [Fact]
    public void Credential_ToString_HidesPassword()
    {
        Assert.Equal("Domain\\User", new NtlmCredential("Domain", "User", "secret").ToString());
    }
}
