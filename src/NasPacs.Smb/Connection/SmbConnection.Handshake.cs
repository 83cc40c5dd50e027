using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NasPacs.Smb.Auth;
using NasPacs.Smb.Crypto;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Connection;

/// <summary>Opening a connection: NEGOTIATE, SESSION_SETUP with SPNEGO/NTLMv2, key derivation, TREE_CONNECT.</summary>
internal sealed partial class SmbConnection
{
    public SmbDialect Dialect { get; private set; }

    public bool IsSigning => _signer is not null && !_encryptAll;

    public bool IsEncrypting => _encryptAll;

    public SmbSigningAlgorithm SigningAlgorithm => _signer?.Algorithm ?? SmbSigningAlgorithm.HmacSha256;

    public SmbCipher Cipher { get; private set; }

    /// <summary>Largest READ this connection sends (the server's limit and ours).</summary>
    public int MaxReadSize { get; private set; }

    /// <summary>Largest QUERY_DIRECTORY output buffer this connection asks for.</summary>
    public int DirectoryBufferSize { get; internal set; }

    /// <summary>Whether listings ask for file IDs; false once the server has refused that information class.</summary>
    public bool ListsFileIds { get; set; } = true;

    /// <summary>Connects, signs in and connects to the share; throws a classified exception on failure.</summary>
    public static async Task<SmbConnection> OpenAsync(SmbOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await ConnectBlockingAsync(socket, options.Host, options.Port, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new SmbConnectionException($"Connecting to {options.Host}:{options.Port} timed out.", null, isTimeout: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = Attach(socket, options.RequestTimeout, time, TargetCreditsFor(options.MaxRequestsInFlight));
        try
        {
            await connection.HandshakeAsync(options, time, linked.Token).ConfigureAwait(false);
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new SmbConnectionException($"Signing in to {options.Host}:{options.Port} timed out.", null, isTimeout: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Connects with the socket's own blocking call (on a pool thread), never an asynchronous socket operation: on
    /// Unix the first one makes the socket non-blocking for good, and the reader thread's blocking receive would then
    /// wait through the runtime's event loop (one more thread wake-up per receive). Cancelling closes the socket.
    /// </summary>
    private static async Task ConnectBlockingAsync(Socket socket, string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        using (cancellationToken.UnsafeRegister(static s => ((Socket)s!).Dispose(), socket))
        {
            try
            {
                await Task.Run(() => socket.Connect(addresses, port), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is SocketException or ObjectDisposedException)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task HandshakeAsync(SmbOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var min = (SmbDialect)options.MinDialect;
        var max = (SmbDialect)options.MaxDialect;
        SmbCipher[] ciphers = [SmbCipher.Aes128Gcm, SmbCipher.Aes128Ccm, SmbCipher.Aes256Gcm, SmbCipher.Aes256Ccm];
        var preauth = new byte[64];
        void Hash(ReadOnlySpan<byte> message) => preauth = SHA512.HashData([.. preauth, .. message]);

        var clientGuid = Guid.NewGuid();
        var negotiateBody = Negotiate.BuildRequest(min, max, clientGuid, requireSigning: false, ciphers);
        var negotiateResponse = (await SendAsync([new Smb2Request(Smb2Command.Negotiate, negotiateBody)], false, cancellationToken, Hash).ConfigureAwait(false))[0];
        negotiateResponse.EnsureStatus();
        Hash(negotiateResponse.Message);
        var negotiated = Negotiate.ParseResponse(negotiateResponse.Message, min, max);
        Dialect = negotiated.Dialect;
        _multiCredit = negotiated.SupportsLargeMtu;
        var serverLimit = _multiCredit ? (int)Math.Min(negotiated.MaxReadSize, 8u << 20) : 65536;
        MaxReadSize = Math.Max(4096, Math.Min(serverLimit, options.ReadChunkSize));
        var transactLimit = _multiCredit ? (int)Math.Min(negotiated.MaxTransactSize, 8u << 20) : 65536;
        DirectoryBufferSize = Math.Max(4096, Math.Min(transactLimit, options.DirectoryBufferSize));
        Volatile.Write(ref _frameLimit, Math.Max(MaxReadSize, DirectoryBufferSize) + (64 << 10) + InitialFrameLimit);
        Cipher = negotiated.Cipher;

        if (options.RequireEncryption && Cipher == SmbCipher.None)
        {
            throw new SmbSecurityException($"Encryption is required but the server chose dialect {Dialect} without a cipher.");
        }

        var sessionHash = Dialect == SmbDialect.Smb311 ? preauth : [];
        var (sessionFlags, sessionKey) = await SessionSetupAsync(options, time, negotiated, h => sessionHash = SHA512.HashData([.. sessionHash, .. h]), () => sessionHash, cancellationToken).ConfigureAwait(false);

        var encryptionRequired = (sessionFlags & SessionSetup.FlagEncryptData) != 0 || options.RequireEncryption;
        if ((encryptionRequired || options.EncryptWhenOffered) && Cipher != SmbCipher.None && sessionKey is not null)
        {
            var keys = SessionKeys.Derive(Dialect, sessionKey, Cipher, sessionHash);
            _cipher = new MessageCipher(Cipher, keys.EncryptionKey, keys.DecryptionKey);
            _encryptAll = true;
        }
        else if (encryptionRequired)
        {
            throw new SmbSecurityException("The server requires encryption, which this session cannot provide.");
        }

        await TreeConnectAsync(options, cancellationToken).ConfigureAwait(false);
        if (Dialect is SmbDialect.Smb300 or SmbDialect.Smb302 && sessionKey is not null)
        {
            var request = ValidateNegotiate.BuildRequest(Negotiate.ClientCapabilities(ciphers), clientGuid, Negotiate.SigningEnabled, Negotiate.Offered(min, max));
            var response = (await SendAsync([new Smb2Request(Smb2Command.Ioctl, request, 24)], false, cancellationToken).ConfigureAwait(false))[0];
            ValidateNegotiate.CheckResponse(response.EnsureStatus().Message, negotiated);
        }
    }

    private async Task<(ushort Flags, byte[]? SessionKey)> SessionSetupAsync(SmbOptions options, TimeProvider time, NegotiateResult negotiated, MessageObserver hash, Func<byte[]> currentHash, CancellationToken cancellationToken)
    {
        var ntlm = new NtlmV2();
        var first = (await SendAsync([new Smb2Request(Smb2Command.SessionSetup, SessionSetup.BuildRequest(Spnego.InitToken(ntlm.NegotiateMessage), false))], false, cancellationToken, hash).ConfigureAwait(false))[0];
        if (first.Status != NtStatus.MoreProcessingRequired)
        {
            throw new SmbStatusException(first.Status, Smb2Command.SessionSetup);
        }

        hash(first.Message);
        SessionId = first.Header.SessionId;
        var challenge = Spnego.ReadResponse(SessionSetup.ParseResponse(first.Message).SecurityBlob);
        if (challenge.State == (int)Spnego.NegState.Reject || challenge.ResponseToken is null)
        {
            throw new SmbStatusException(NtStatus.LogonFailure, Smb2Command.SessionSetup);
        }

        if (challenge.SupportedMech is { } mech && mech != Spnego.NtlmSspOid)
        {
            throw new SmbProtocolException($"The server chose the security mechanism {mech}, which was not offered.");
        }

        var credential = new NtlmCredential(options.Domain, options.User, options.Password);
        var authenticate = ntlm.Authenticate(challenge.ResponseToken, credential, options.Host, time.GetUtcNow());
        var token = Spnego.ResponseToken(authenticate, ntlm.SignFirstMessage(Spnego.MechTypeList()));
        var last = (await SendAsync([new Smb2Request(Smb2Command.SessionSetup, SessionSetup.BuildRequest(token, false))], false, cancellationToken, hash).ConfigureAwait(false))[0];
        last.EnsureStatus();
        var (flags, finalBlob) = SessionSetup.ParseResponse(last.Message);
        var final = finalBlob.Length == 0 ? null : Spnego.ReadResponse(finalBlob);
        if (final is { State: (int)Spnego.NegState.Reject })
        {
            throw new SmbStatusException(NtStatus.LogonFailure, Smb2Command.SessionSetup);
        }

        if ((flags & (SessionSetup.FlagIsGuest | SessionSetup.FlagIsNull)) != 0)
        {
            if (!options.AllowGuest)
            {
                throw new SmbStatusException(NtStatus.LogonFailure, Smb2Command.SessionSetup);
            }

            if (negotiated.ServerRequiresSigning)
            {
                throw new SmbSecurityException("The server requires signing but granted a guest session, which cannot sign.");
            }

            return (flags, null);
        }

        VerifyMechListMic(ntlm, final);
        var keys = SessionKeys.Derive(Dialect, ntlm.SessionKey, negotiated.Cipher, currentHash());
        var signer = new MessageSigner(keys.SigningKey, MessageSigner.AlgorithmFor(Dialect, negotiated.SigningAlgorithm));
        try
        {
            VerifyFinalSessionSetup(last, signer, flags);
        }
        catch
        {
            signer.Dispose();
            throw;
        }

        _signer = signer;
        return (flags, ntlm.SessionKey);
    }

    /// <summary>Whether the server's final SPNEGO token carried a mechListMIC and it was verified.</summary>
    internal bool MechListMicVerified { get; private set; }

    /// <summary>
    /// A mechListMIC in the server's final SPNEGO token must be the server's NTLM signature of the mechanism list
    /// the client sent (RFC 4178 §5, MS-SPNG §3.3.5.1); a wrong one means the negotiation was altered or the server
    /// lacks the session key, and the session is refused. A server may leave it out: the client offered a single
    /// mechanism, so there was nothing to downgrade, and the final SESSION_SETUP signature still proves the key.
    /// </summary>
    private void VerifyMechListMic(NtlmV2 ntlm, NegTokenResponse? final)
    {
        if (final?.MechListMic is not { } mic)
        {
            return;
        }

        if (!ntlm.VerifyServerFirstMessage(Spnego.MechTypeList(), mic))
        {
            throw new SmbSecurityException("The server's SPNEGO mechListMIC is wrong: the negotiation was altered, or the server does not hold the session key.");
        }

        MechListMicVerified = true;
    }

    /// <summary>The last SESSION_SETUP response proves the server knows the session key (and, in 3.1.1, the exchange was not altered).</summary>
    private void VerifyFinalSessionSetup(Smb2Response last, MessageSigner signer, ushort flags)
    {
        if (last.Header.IsSigned)
        {
            if (!signer.Verify(last.Message))
            {
                throw new SmbSecurityException("The server's final SESSION_SETUP signature is wrong: wrong password, or the connection was tampered with.");
            }
        }
        else if (Dialect == SmbDialect.Smb311 && (flags & SessionSetup.FlagEncryptData) == 0)
        {
            throw new SmbSecurityException("The SMB 3.1.1 server did not sign the final SESSION_SETUP response.");
        }
    }

    private async Task TreeConnectAsync(SmbOptions options, CancellationToken cancellationToken)
    {
        var response = (await SendAsync([new Smb2Request(Smb2Command.TreeConnect, TreeConnect.BuildRequest(options.Host, options.Share))], false, cancellationToken).ConfigureAwait(false))[0];
        response.EnsureStatus();
        var (shareType, shareFlags) = TreeConnect.ParseResponse(response.Message);
        if (shareType != TreeConnect.ShareTypeDisk)
        {
            throw new SmbStatusException(NtStatus.BadNetworkName, Smb2Command.TreeConnect);
        }

        if ((shareFlags & TreeConnect.ShareFlagEncryptData) != 0 && !_encryptAll)
        {
            throw new SmbSecurityException("The share requires encryption, which this session cannot provide.");
        }

        TreeId = response.Header.TreeId;
    }
}
