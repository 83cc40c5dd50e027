using System.Formats.Asn1;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Auth;

/// <summary>
/// The SPNEGO tokens that carry NTLMSSP inside SESSION_SETUP (RFC 4178, MS-SPNG). Encoded and decoded with
/// <see cref="AsnWriter"/> and <see cref="AsnReader"/>; only NTLMSSP is offered, so no mechanism is negotiated away silently.
/// </summary>
internal static class Spnego
{
    public const string NtlmSspOid = "1.3.6.1.4.1.311.2.2.10";
    private const string SpnegoOid = "1.3.6.1.5.5.2";

    /// <summary>The DER MechTypeList the init token carries; the mechListMIC is computed over exactly these bytes.</summary>
    public static byte[] MechTypeList()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(NtlmSspOid);
        }

        return writer.Encode();
    }

    /// <summary>GSS-API InitialContextToken wrapping a NegTokenInit with NTLMSSP and its first message.</summary>
    public static byte[] InitToken(ReadOnlySpan<byte> mechToken)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.Application, 0, isConstructed: true)))
        {
            writer.WriteObjectIdentifier(SpnegoOid);
            using (writer.PushSequence(Context(0)))
            using (writer.PushSequence())
            {
                using (writer.PushSequence(Context(0)))
                {
                    writer.WriteEncodedValue(MechTypeList());
                }

                using (writer.PushSequence(Context(2)))
                {
                    writer.WriteOctetString(mechToken);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>NegTokenResp carrying the NTLM AUTHENTICATE message and the mechListMIC.</summary>
    public static byte[] ResponseToken(ReadOnlySpan<byte> responseToken, ReadOnlySpan<byte> mechListMic)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(Context(1)))
        using (writer.PushSequence())
        {
            using (writer.PushSequence(Context(2)))
            {
                writer.WriteOctetString(responseToken);
            }

            if (!mechListMic.IsEmpty)
            {
                using (writer.PushSequence(Context(3)))
                {
                    writer.WriteOctetString(mechListMic);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>Reads a server NegTokenResp; any malformed encoding becomes a protocol error.</summary>
    public static NegTokenResponse ReadResponse(byte[] token)
    {
        try
        {
            var outer = new AsnReader(token, AsnEncodingRules.DER).ReadSequence(Context(1));
            var sequence = outer.ReadSequence();
            var result = new NegTokenResponse();
            while (sequence.HasData)
            {
                var tag = sequence.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific || !tag.IsConstructed)
                {
                    throw new SmbProtocolException("The server's SPNEGO token holds an unexpected field.");
                }

                var field = sequence.ReadSequence(tag);
                switch (tag.TagValue)
                {
                    case 0:
                        result.State = (int)field.ReadEnumeratedValue<NegState>();
                        break;
                    case 1:
                        result.SupportedMech = field.ReadObjectIdentifier();
                        break;
                    case 2:
                        result.ResponseToken = field.ReadOctetString();
                        break;
                    case 3:
                        result.MechListMic = field.ReadOctetString();
                        break;
                    default:
                        break;
                }
            }

            return result;
        }
        catch (AsnContentException ex)
        {
            throw new SmbProtocolException("The server's SPNEGO token is malformed.", ex);
        }
    }

    private static Asn1Tag Context(int value) => new(TagClass.ContextSpecific, value, isConstructed: true);

    /// <summary>RFC 4178 §4.2.2 negState.</summary>
    internal enum NegState
    {
        AcceptCompleted = 0,
        AcceptIncomplete = 1,
        Reject = 2,
        RequestMic = 3,
    }
}

/// <summary>The fields of a server NegTokenResp.</summary>
internal sealed class NegTokenResponse
{
    public int State { get; set; } = -1;

    public string? SupportedMech { get; set; }

    public byte[]? ResponseToken { get; set; }

    public byte[]? MechListMic { get; set; }
}
