using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Auth;

/// <summary>The AV_PAIR list of an NTLM CHALLENGE's target information (MS-NLMP §2.2.2.1).</summary>
internal static class AvPairs
{
    public const ushort Eol = 0;
    public const ushort Flags = 6;
    public const ushort Timestamp = 7;
    public const ushort TargetName = 9;
    public const uint FlagMicPresent = 0x00000002;

    public static List<(ushort Id, byte[] Value)> Parse(ReadOnlySpan<byte> targetInfo)
    {
        var pairs = new List<(ushort, byte[])>();
        var at = 0;
        while (true)
        {
            var id = Wire.U16(targetInfo, at, "AvPair.AvId");
            var length = Wire.U16(targetInfo, at + 2, "AvPair.AvLen");
            if (id == Eol)
            {
                return pairs;
            }

            pairs.Add((id, Wire.Slice(targetInfo, at + 4, length, "AvPair.Value").ToArray()));
            at += 4 + length;
        }
    }

    public static byte[] Serialize(IEnumerable<(ushort Id, byte[] Value)> pairs)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[4];
        foreach (var (id, value) in pairs.Append((Eol, Array.Empty<byte>())))
        {
            Wire.Put16(header, 0, id);
            Wire.Put16(header, 2, (ushort)value.Length);
            stream.Write(header);
            stream.Write(value);
        }

        return stream.ToArray();
    }
}
