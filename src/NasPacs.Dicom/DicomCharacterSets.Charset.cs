using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace NasPacs.Dicom;

/// <summary>One character set of a Specific Character Set, named after the Python codec pydicom maps it to.</summary>
internal sealed partial class Charset
{
    private enum Kind
    {
        /// <summary>Decoded by an <see cref="Encoding"/> as is.</summary>
        Plain,

        /// <summary>ISO 2022 JIS X 0208 (IR 87): 7-bit byte pairs, decoded through EUC-JP.</summary>
        JisX0208,

        /// <summary>ISO 2022 JIS X 0212 (IR 159): 7-bit byte pairs, decoded through code page 20932's JIS X 0212 form.</summary>
        JisX0212,
    }

    // Legacy code pages come from the in-box provider; registered before the fields below use it (textual order).
    private static readonly bool CodePagesRegistered = RegisterCodePages();

    private readonly int _codePage;
    private readonly Kind _kind;
    private Encoding? _encoding;

    private Charset(string name, Encoding encoding, Kind kind = Kind.Plain, bool standAlone = false, bool iso2022Multibyte = false)
        : this(name, 0, kind, standAlone, iso2022Multibyte)
    {
        _encoding = encoding;
    }

    /// <summary>A set decoded by a legacy code page, created when the first value in that set is decoded.</summary>
    private Charset(string name, int codePage, Kind kind = Kind.Plain, bool standAlone = false, bool iso2022Multibyte = false)
    {
        Name = name;
        _codePage = codePage;
        _kind = kind;
        IsStandAlone = standAlone;
        IsIso2022Multibyte = iso2022Multibyte;
    }

    /// <summary>pydicom's <c>default_encoding</c> ("iso8859"): Latin-1.</summary>
    public static Charset Default { get; } = new("iso8859", Encoding.Latin1);

    /// <summary>The Python codec name pydicom uses, which is how escape sequences are matched to declared sets.</summary>
    public string Name { get; }

    /// <summary>Cannot be combined with code extensions (UTF-8, GB18030, GBK).</summary>
    public bool IsStandAlone { get; }

    /// <summary>A multi-byte ISO 2022 set whose escape selects it for the whole fragment (delimiters do not reset it).</summary>
    public bool IsIso2022Multibyte { get; }

    public bool IsDefault => ReferenceEquals(this, Default);

    private static bool RegisterCodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return true;
    }

    private static Encoding CodePage(int codePage) => !CodePagesRegistered ? throw new InvalidOperationException() :
        Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD"));

    /// <summary>
    /// The decoder, built on first use: building every legacy code page up front (the CJK ones load large tables) took
    /// about 10 ms of the first read of every run, for sets most archives never use. Two threads may both build it; either
    /// result decodes the same.
    /// </summary>
    private Encoding TextEncoding => Volatile.Read(ref _encoding) ?? (_encoding = CodePage(_codePage));

    private static readonly Charset Latin1 = new("latin_1", Encoding.Latin1);
    private static readonly Charset Latin2 = new("iso8859_2", 28592);
    private static readonly Charset Latin3 = new("iso8859_3", 28593);
    private static readonly Charset Latin4 = new("iso8859_4", 28594);
    private static readonly Charset Greek = new("iso_ir_126", 28597);
    private static readonly Charset Arabic = new("iso_ir_127", 28596);
    private static readonly Charset Hebrew = new("iso_ir_138", 28598);
    private static readonly Charset Cyrillic = new("iso_ir_144", 28595);
    private static readonly Charset Latin5 = new("iso_ir_148", 28599);
    private static readonly Charset Thai = new("iso_ir_166", 874);
    private static readonly Charset ShiftJis = new("shift_jis", 932);
    private static readonly Charset Jis0208 = new("iso2022_jp", 20932, Kind.JisX0208, iso2022Multibyte: true);
    private static readonly Charset Jis0212 = new("iso2022_jp_2", 20932, Kind.JisX0212, iso2022Multibyte: true);
    private static readonly Charset Korean = new("euc_kr", 51949);
    private static readonly Charset Gb2312 = new("iso_ir_58", 936, iso2022Multibyte: true);
    private static readonly Charset Utf8 = new("UTF8", new UTF8Encoding(false, false), standAlone: true);
    private static readonly Charset Gb18030 = new("GB18030", 54936, standAlone: true);
    private static readonly Charset Gbk = new("GBK", 936, standAlone: true);

    // PS3.3 Table C.12-2 to C.12-5 terms, mapped as pydicom's charset.python_encoding maps them.
    private static readonly FrozenDictionary<string, Charset> Terms = new Dictionary<string, Charset>(StringComparer.Ordinal)
    {
        ["ISO_IR 6"] = Default,
        ["ISO_IR 13"] = ShiftJis,
        ["ISO_IR 100"] = Latin1,
        ["ISO_IR 101"] = Latin2,
        ["ISO_IR 109"] = Latin3,
        ["ISO_IR 110"] = Latin4,
        ["ISO_IR 126"] = Greek,
        ["ISO_IR 127"] = Arabic,
        ["ISO_IR 138"] = Hebrew,
        ["ISO_IR 144"] = Cyrillic,
        ["ISO_IR 148"] = Latin5,
        ["ISO_IR 166"] = Thai,
        ["ISO 2022 IR 6"] = Default,
        ["ISO 2022 IR 13"] = ShiftJis,
        ["ISO 2022 IR 87"] = Jis0208,
        ["ISO 2022 IR 100"] = Latin1,
        ["ISO 2022 IR 101"] = Latin2,
        ["ISO 2022 IR 109"] = Latin3,
        ["ISO 2022 IR 110"] = Latin4,
        ["ISO 2022 IR 126"] = Greek,
        ["ISO 2022 IR 127"] = Arabic,
        ["ISO 2022 IR 138"] = Hebrew,
        ["ISO 2022 IR 144"] = Cyrillic,
        ["ISO 2022 IR 148"] = Latin5,
        ["ISO 2022 IR 149"] = Korean,
        ["ISO 2022 IR 159"] = Jis0212,
        ["ISO 2022 IR 166"] = Thai,
        ["ISO 2022 IR 58"] = Gb2312,
        ["ISO_IR 192"] = Utf8,
        ["GB18030"] = Gb18030,
        ["GBK"] = Gbk,
        ["ISO 2022 GBK"] = Gbk,
        ["ISO 2022 58"] = Gb2312,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // PS3.3 Tables C.12-3 and C.12-4: escape sequence → set (pydicom's CODES_TO_ENCODINGS).
    private static readonly (byte[] Escape, Charset Charset)[] Escapes =
    [
        ([0x1B, (byte)'(', (byte)'B'], Default),
        ([0x1B, (byte)'-', (byte)'A'], Latin1),
        ([0x1B, (byte)')', (byte)'I'], ShiftJis),
        ([0x1B, (byte)'(', (byte)'J'], ShiftJis),
        ([0x1B, (byte)'$', (byte)'B'], Jis0208),
        ([0x1B, (byte)'-', (byte)'B'], Latin2),
        ([0x1B, (byte)'-', (byte)'C'], Latin3),
        ([0x1B, (byte)'-', (byte)'D'], Latin4),
        ([0x1B, (byte)'-', (byte)'F'], Greek),
        ([0x1B, (byte)'-', (byte)'G'], Arabic),
        ([0x1B, (byte)'-', (byte)'H'], Hebrew),
        ([0x1B, (byte)'-', (byte)'L'], Cyrillic),
        ([0x1B, (byte)'-', (byte)'M'], Latin5),
        ([0x1B, (byte)'-', (byte)'T'], Thai),
        ([0x1B, (byte)'$', (byte)')', (byte)'C'], Korean),
        ([0x1B, (byte)'$', (byte)'(', (byte)'D'], Jis0212),
        ([0x1B, (byte)'$', (byte)')', (byte)'A'], Gb2312),
    ];

    [GeneratedRegex("^ISO[^_]IR")]
    private static partial Regex MisspelledIsoIr();

    [GeneratedRegex("^(?=ISO.2022.IR.)(?!ISO 2022 IR )")]
    private static partial Regex MisspelledIso2022();

    /// <summary>
    /// The set a defined term names. Common misspellings are corrected as pydicom corrects them (<paramref name="corrected"/>
    /// says to what); a name .NET knows as an encoding is used as is, as pydicom accepts Python codec names.
    /// </summary>
    public static bool TryFromTerm(string term, out Charset charset, out string? corrected)
    {
        corrected = null;
        if (Terms.TryGetValue(term, out charset!))
        {
            return true;
        }

        string? patched = MisspelledIsoIr().IsMatch(term) ? "ISO_IR" + term[6..]
            : MisspelledIso2022().IsMatch(term) ? "ISO 2022 IR " + term[12..]
            : null;
        if (patched is not null)
        {
            corrected = patched;
            return Terms.TryGetValue(patched, out charset!);
        }

        try
        {
            charset = new Charset(term, Encoding.GetEncoding(term, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")));
            return true;
        }
        catch (ArgumentException)
        {
            charset = Default;
            return false;
        }
    }

    /// <summary>The set an escape sequence at the start of <paramref name="fragment"/> selects, or <see langword="null"/>.</summary>
    public static Charset? FromEscape(ReadOnlySpan<byte> fragment, out int escapeLength)
    {
        foreach (var (escape, charset) in Escapes)
        {
            if (fragment.StartsWith(escape))
            {
                escapeLength = escape.Length;
                return charset;
            }
        }

        escapeLength = 0;
        return null;
    }

    /// <summary><see cref="Decode"/> into <paramref name="destination"/>, for a plain set and text that surely fits; false otherwise.</summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, Span<char> destination, out int written)
    {
        written = 0;
        if (_kind != Kind.Plain || TextEncoding.GetMaxCharCount(bytes.Length) > destination.Length)
        {
            return false;
        }

        written = TextEncoding.GetChars(bytes, destination);
        return true;
    }

    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (_kind == Kind.Plain || bytes.IsEmpty)
        {
            return TextEncoding.GetString(bytes);
        }

        // 7-bit JIS byte pairs map onto .NET's EUC-JP (20932): JIS X 0208 with the high bit set on both bytes, JIS X 0212
        // with it set on the first byte only (Windows code page 20932's form of the 0x8F plane).
        var euc = new byte[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            euc[i] = _kind == Kind.JisX0212 && (i & 1) == 1 ? (byte)(bytes[i] & 0x7F) : (byte)(bytes[i] | 0x80);
        }

        if ((bytes.Length & 1) == 1)
        {
            euc[^1] = 0xFF; // an odd byte cannot be a character: decoded as U+FFFD
        }

        return TextEncoding.GetString(euc);
    }
}
