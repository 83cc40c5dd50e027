using System.Security.Cryptography;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Crypto;

/// <summary>
/// SMB 3 encryption (MS-SMB2 §3.1.4.3): wraps a message or compound in a TRANSFORM_HEADER sealed with
/// AES-CCM or AES-GCM from .NET, and opens the server's. The associated data is the header from the nonce on.
/// </summary>
internal sealed class MessageCipher : IDisposable
{
    public const int TransformHeaderSize = 52;
    public const uint TransformProtocolId = 0x424D53FD; // 0xFD 'S' 'M' 'B'

    private readonly SmbCipher _cipher;
    private readonly AesCcm? _encryptCcm;
    private readonly AesCcm? _decryptCcm;
    private readonly AesGcm? _encryptGcm;
    private readonly AesGcm? _decryptGcm;
    private readonly byte[] _noncePrefix = RandomNumberGenerator.GetBytes(4);
    private long _nonceCounter;

    public MessageCipher(SmbCipher cipher, byte[] encryptionKey, byte[] decryptionKey)
    {
        _cipher = cipher;
        if (IsGcm)
        {
            _encryptGcm = new AesGcm(encryptionKey, 16);
            _decryptGcm = new AesGcm(decryptionKey, 16);
        }
        else
        {
            _encryptCcm = new AesCcm(encryptionKey);
            _decryptCcm = new AesCcm(decryptionKey);
        }
    }

    private bool IsGcm => _cipher is SmbCipher.Aes128Gcm or SmbCipher.Aes256Gcm;

    private int NonceLength => IsGcm ? 12 : 11;

    /// <summary>Writes the transform header and ciphertext of <paramref name="plain"/> into <paramref name="destination"/>.</summary>
    public void Encrypt(ReadOnlySpan<byte> plain, ulong sessionId, Span<byte> destination)
    {
        var header = destination[..TransformHeaderSize];
        header.Clear();
        Wire.Put32(header, 0, TransformProtocolId);

        // A per-connection random prefix plus a counter: a nonce is never reused under one key.
        var nonce = header.Slice(20, NonceLength);
        _noncePrefix.CopyTo(nonce);
        Wire.Put64(header, 24, (ulong)Interlocked.Increment(ref _nonceCounter));
        if (!IsGcm)
        {
            header[31] = 0;
        }

        Wire.Put32(header, 36, (uint)plain.Length);
        Wire.Put16(header, 42, 0x0001);
        Wire.Put64(header, 44, sessionId);
        var tag = header.Slice(4, 16);
        var aad = header[20..];
        var cipherText = destination.Slice(TransformHeaderSize, plain.Length);
        if (IsGcm)
        {
            _encryptGcm!.Encrypt(nonce, plain, cipherText, tag, aad);
        }
        else
        {
            _encryptCcm!.Encrypt(nonce, plain, cipherText, tag, aad);
        }
    }

    /// <summary>Opens a transform message into <paramref name="destination"/>; returns the plain length.</summary>
    public int Decrypt(ReadOnlySpan<byte> frame, ulong expectedSessionId, Span<byte> destination)
    {
        var header = Wire.Slice(frame, 0, TransformHeaderSize, "TransformHeader");
        var size = Wire.U32(header, 36, "TransformHeader.OriginalMessageSize");
        if (size != frame.Length - TransformHeaderSize || size > destination.Length)
        {
            throw new SmbProtocolException($"An encrypted message claims {size} bytes but carries {frame.Length - TransformHeaderSize}.");
        }

        if (Wire.U64(header, 44, "TransformHeader.SessionId") != expectedSessionId)
        {
            throw new SmbProtocolException("An encrypted message belongs to another session.");
        }

        var nonce = header.Slice(20, NonceLength);
        var plain = destination[..(int)size];
        try
        {
            if (IsGcm)
            {
                _decryptGcm!.Decrypt(nonce, frame[TransformHeaderSize..], header.Slice(4, 16), plain, header[20..]);
            }
            else
            {
                _decryptCcm!.Decrypt(nonce, frame[TransformHeaderSize..], header.Slice(4, 16), plain, header[20..]);
            }
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new SmbProtocolException("An encrypted message failed authentication.", ex);
        }

        return (int)size;
    }

    public void Dispose()
    {
        _encryptCcm?.Dispose();
        _decryptCcm?.Dispose();
        _encryptGcm?.Dispose();
        _decryptGcm?.Dispose();
    }
}
