namespace NasPacs.Smb.Protocol;

/// <summary>
/// One request body ready to be framed: the connection adds the header, message id, credits and signature.
/// Offsets inside <paramref name="Body"/> are relative to the start of the header, as on the wire.
/// </summary>
/// <param name="Command">The command.</param>
/// <param name="Body">The body after the 64-byte header.</param>
/// <param name="ExpectedResponsePayload">The largest payload the response may carry; sets the credit charge.</param>
internal sealed record Smb2Request(Smb2Command Command, byte[] Body, int ExpectedResponsePayload = 0)
{
    /// <summary>Credits this request costs under a multi-credit dialect (MS-SMB2 §3.1.5.2).</summary>
    public int CreditCharge => Math.Max(1, ((Math.Max(Body.Length, ExpectedResponsePayload) - 1) / 65536) + 1);
}
