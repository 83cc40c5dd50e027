using System.Text;

namespace NasPacs.Dicom;

/// <summary>
/// Decodes text and person names with a dataset's Specific Character Set (0008,0005), including ISO 2022 code
/// extensions (PS3.5 §6.1.2.4–6.1.2.5, PS3.3 §C.12.1.1.2). Follows pydicom's <c>charset.decode_bytes</c> so the index holds
/// what pydicom would show: values without escape sequences use the first character set; each escape-led fragment uses the
/// set it names, until the next delimiter, after which the first set applies again.
/// </summary>
internal sealed class DicomCharacterSet
{
    private const byte Esc = 0x1B;

    // Distinct values seen; bounded so that crafted files cannot grow it without end.
    private const int MaxCached = 64;

    private static (byte[] Raw, DicomCharacterSet Set)[] _cache = [];

    private readonly Charset[] _charsets;

    private DicomCharacterSet(Charset[] charsets, string? warning)
    {
        _charsets = charsets;
        Warning = warning;
    }

    /// <summary>No Specific Character Set: pydicom decodes with Latin-1 (its "iso8859"), so bytes above 0x7F survive.</summary>
    public static DicomCharacterSet Default { get; } = new([Charset.Default], null);

    /// <summary>Why the terms could not be honoured as written, or <see langword="null"/>.</summary>
    public string? Warning { get; }

    /// <summary>
    /// The decoder for the raw value of (0008,0005). Cached by those bytes (a few distinct values exist in an archive), so the
    /// common case costs one comparison and no allocation.
    /// </summary>
    public static DicomCharacterSet FromValue(ReadOnlySpan<byte> value)
    {
        value = value.TrimEnd(" \0"u8);
        if (value.IsEmpty)
        {
            return Default;
        }

        var cache = _cache;
        foreach (var (raw, cached) in cache)
        {
            if (value.SequenceEqual(raw))
            {
                return cached;
            }
        }

        var terms = new List<string>();
        foreach (var range in value.Split((byte)'\\'))
        {
            terms.Add(Encoding.Latin1.GetString(value[range]));
        }

        var created = terms.Count == 1 && terms[0].Length == 0 ? Default : Create(terms);
        if (cache.Length < MaxCached)
        {
            // Copy-on-write: readers never lock; a lost race only costs a second Create.
            _cache = [.. cache, (value.ToArray(), created)];
        }

        return created;
    }

    private static DicomCharacterSet Create(List<string> terms)
    {
        string? warning = null;
        var charsets = new List<Charset>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            // An empty first value means the default repertoire (PS3.3 §C.12.1.1.2).
            var term = i == 0 && terms[i].Length == 0 ? "ISO_IR 6" : terms[i];
            if (Charset.TryFromTerm(term, out var charset, out var corrected))
            {
                if (corrected is not null)
                {
                    warning ??= $"Specific Character Set '{term}' read as '{corrected}'.";
                }

                charsets.Add(charset);
            }
            else
            {
                warning ??= $"Unknown Specific Character Set '{term}'; decoded as Latin-1 (ISO_IR 100), as pydicom does.";
                charsets.Add(Charset.Default);
            }
        }

        // Stand-alone sets (UTF-8, GB18030, GBK) cannot be combined with code extensions (PS3.5 §6.1.2.5.4 d).
        if (charsets.Count > 1)
        {
            if (charsets[0].IsStandAlone)
            {
                warning ??= $"Character set '{terms[0]}' cannot be combined with others; the others are ignored.";
                charsets.RemoveRange(1, charsets.Count - 1);
            }
            else if (charsets.RemoveAll(c => c.IsStandAlone) > 0)
            {
                warning ??= "A stand-alone character set (UTF-8, GB18030, GBK) was listed as a code extension and ignored.";
            }
        }

        return new DicomCharacterSet([.. charsets], warning);
    }

    /// <summary>Decodes one value (or one person name component group) of a text VR.</summary>
    /// <param name="bytes">The encoded value.</param>
    /// <param name="personName">Whether <c>^</c> resets the character set (PN) rather than CR, LF, TAB and FF (texts).</param>
    public string Decode(ReadOnlySpan<byte> bytes, bool personName)
    {
        if (bytes.IndexOf(Esc) < 0)
        {
            return _charsets[0].Decode(bytes);
        }

        var builder = new StringBuilder(bytes.Length);
        var start = 0;
        while (start < bytes.Length)
        {
            var next = bytes[(start + 1)..].IndexOf(Esc);
            var end = next < 0 ? bytes.Length : start + 1 + next;
            var fragment = bytes[start..end];
            builder.Append(fragment[0] == Esc ? DecodeEscaped(fragment, personName) : _charsets[0].Decode(fragment));
            start = end;
        }

        return builder.ToString();
    }

    /// <summary>
    /// <see cref="Decode"/> into <paramref name="destination"/> without allocating, for bytes without escape sequences in a set
    /// that needs no rewriting; false otherwise or when the text may not fit.
    /// </summary>
    public bool TryDecodeUnescaped(ReadOnlySpan<byte> bytes, Span<char> destination, out int written)
    {
        written = 0;
        return !bytes.Contains(Esc) && _charsets[0].TryDecode(bytes, destination, out written);
    }

    /// <summary>Decodes bytes the caller has found to hold no escape sequence: all in the first character set.</summary>
    public string DecodeUnescaped(ReadOnlySpan<byte> bytes) => _charsets[0].Decode(bytes);

    private string DecodeEscaped(ReadOnlySpan<byte> fragment, bool personName)
    {
        var charset = Charset.FromEscape(fragment, out var escapeLength);
        if (charset is null || !(charset.IsDefault || Array.Exists(_charsets, c => c.Name == charset.Name)))
        {
            // Unknown or undeclared escape sequence: pydicom decodes the whole fragment with the first set.
            return _charsets[0].Decode(fragment);
        }

        var text = fragment[escapeLength..];
        if (charset.IsIso2022Multibyte)
        {
            // JIS X 0208 / 0212 and GB 2312 stay in their set for the whole fragment (the next ESC switches back).
            return charset.Decode(text);
        }

        var delimiter = personName ? text.IndexOf((byte)'^') : text.IndexOfAny("\r\n\t\f"u8);
        return delimiter < 0
            ? charset.Decode(text)
            : string.Concat(charset.Decode(text[..delimiter]), _charsets[0].Decode(text[delimiter..]));
    }
}
