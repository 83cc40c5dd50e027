using System.Runtime.CompilerServices;

namespace NasPacs.Dicom;

/// <summary>
/// Value Representations as their two ASCII bytes packed into a <see cref="ushort"/> (first letter in the high byte),
/// with the facts the reader needs about each (PS3.5 §6.2, Table 6.2-1).
/// </summary>
internal static class DicomVR
{
    public const ushort AE = ('A' << 8) | 'E';
    public const ushort AS = ('A' << 8) | 'S';
    public const ushort AT = ('A' << 8) | 'T';
    public const ushort CS = ('C' << 8) | 'S';
    public const ushort DA = ('D' << 8) | 'A';
    public const ushort DS = ('D' << 8) | 'S';
    public const ushort DT = ('D' << 8) | 'T';
    public const ushort FD = ('F' << 8) | 'D';
    public const ushort FL = ('F' << 8) | 'L';
    public const ushort IS = ('I' << 8) | 'S';
    public const ushort LO = ('L' << 8) | 'O';
    public const ushort LT = ('L' << 8) | 'T';
    public const ushort OB = ('O' << 8) | 'B';
    public const ushort OD = ('O' << 8) | 'D';
    public const ushort OF = ('O' << 8) | 'F';
    public const ushort OL = ('O' << 8) | 'L';
    public const ushort OV = ('O' << 8) | 'V';
    public const ushort OW = ('O' << 8) | 'W';
    public const ushort PN = ('P' << 8) | 'N';
    public const ushort SH = ('S' << 8) | 'H';
    public const ushort SL = ('S' << 8) | 'L';
    public const ushort SQ = ('S' << 8) | 'Q';
    public const ushort SS = ('S' << 8) | 'S';
    public const ushort ST = ('S' << 8) | 'T';
    public const ushort SV = ('S' << 8) | 'V';
    public const ushort TM = ('T' << 8) | 'M';
    public const ushort UC = ('U' << 8) | 'C';
    public const ushort UI = ('U' << 8) | 'I';
    public const ushort UL = ('U' << 8) | 'L';
    public const ushort UN = ('U' << 8) | 'N';
    public const ushort UR = ('U' << 8) | 'R';
    public const ushort US = ('U' << 8) | 'S';
    public const ushort UT = ('U' << 8) | 'T';
    public const ushort UV = ('U' << 8) | 'V';

    /// <summary>No VR: implicit VR and the tag is not in our dictionary.</summary>
    public const ushort None = 0;

    /// <summary>
    /// Whether explicit VR encodes this VR with 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2).
    /// Unknown VRs get the 16-bit form, as pydicom reads them.
    /// </summary>
    /// <remarks>
    /// A lookup rather than a switch: it runs for every element the reader steps over (hundreds per header), and the
    /// switch compiled to a call that was a tenth of a CT header's parse time.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasLongLength(ushort vr)
    {
        var first = (uint)(vr >> 8) - 'A';
        var second = (uint)(vr & 0xFF) - 'A';
        return first < 26 && second < 26 && ((LongLengthSecondLetters[(int)first] >> (int)second) & 1) != 0;
    }

    // For each first letter A–Z, a bit per second letter A–Z of a VR with the long form: O(B,D,F,L,V,W), S(Q,V), U(C,N,R,T,V).
    // Constants only, so the span points at the assembly's data and allocates nothing.
    private static ReadOnlySpan<uint> LongLengthSecondLetters =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        (1u << ('B' - 'A')) | (1u << ('D' - 'A')) | (1u << ('F' - 'A')) | (1u << ('L' - 'A')) | (1u << ('V' - 'A')) | (1u << ('W' - 'A')), // O
        0, 0, 0,
        (1u << ('Q' - 'A')) | (1u << ('V' - 'A')), // S
        0,
        (1u << ('C' - 'A')) | (1u << ('N' - 'A')) | (1u << ('R' - 'A')) | (1u << ('T' - 'A')) | (1u << ('V' - 'A')), // U
        0, 0, 0, 0, 0,
    ];

    /// <summary>Whether two bytes look like a VR (two upper-case ASCII letters): how pydicom tells explicit from implicit VR.</summary>
    public static bool LooksLikeVR(byte first, byte second) => first is > 0x40 and < 0x5B && second is > 0x40 and < 0x5B;

    /// <summary>Whether the VR is one pydicom knows, used to detect explicit VR in a dataset without meta group.</summary>
    public static bool IsKnown(ushort vr) => vr switch
    {
        AE or AS or AT or CS or DA or DS or DT or FD or FL or IS or LO or LT or OB or OD or OF or OL or OV or OW or PN or SH
            or SL or SQ or SS or ST or SV or TM or UC or UI or UL or UN or UR or US or UT or UV => true,
        _ => false,
    };

    /// <summary>The VR as text, for error messages.</summary>
    public static string ToText(ushort vr) => vr == None ? "--" : string.Create(2, vr, static (span, v) =>
    {
        span[0] = (char)(v >> 8);
        span[1] = (char)(v & 0xFF);
    });
}
