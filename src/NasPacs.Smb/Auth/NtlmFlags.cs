namespace NasPacs.Smb.Auth;

/// <summary>NTLM negotiate flags this client sets or checks (MS-NLMP §2.2.2.5).</summary>
[Flags]
internal enum NtlmFlags : uint
{
    Unicode = 0x00000001,
    RequestTarget = 0x00000004,
    Sign = 0x00000010,
    Seal = 0x00000020,
    Ntlm = 0x00000200,
    AlwaysSign = 0x00008000,
    ExtendedSessionSecurity = 0x00080000,
    TargetInfo = 0x00800000,
    Version = 0x02000000,
    Use128 = 0x20000000,
    KeyExchange = 0x40000000,
    Use56 = 0x80000000,

    /// <summary>What the client asks for: NTLMv2 with extended session security, 128-bit keys and key exchange.</summary>
    ClientDefault = Unicode | RequestTarget | Sign | Seal | Ntlm | AlwaysSign | ExtendedSessionSecurity | Version | Use128 | KeyExchange | Use56,
}
