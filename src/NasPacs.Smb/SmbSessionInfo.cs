using NasPacs.Smb.Protocol;

namespace NasPacs.Smb;

/// <summary>What a connection negotiated, for metrics and tests.</summary>
internal sealed record SmbSessionInfo(
    SmbDialect Dialect,
    bool Signing,
    SmbSigningAlgorithm SigningAlgorithm,
    bool Encryption,
    SmbCipher Cipher,
    int MaxReadSize,
    int ConnectionsOpened);
