using System.Globalization;
using System.Text;

namespace NasPacs.Indexing.Query;

/// <summary>
/// Turns what a person typed into an FTS5 query over <c>series_fts</c>. Words separated by spaces must all match (AND).
/// A word is cut into tokens the way the index's <c>unicode61</c> tokenizer cuts text (letters and numbers; anything else
/// separates), and its tokens must follow each other: <c>NP-004217</c> is the phrase <c>np 004217</c>, not the two
/// unrelated prefixes <c>np*</c> (which every ID matches) and <c>004217*</c>. The last token of each word is a prefix.
/// Every token is quoted, so punctuation and FTS5 operators in the input are only text.
/// </summary>
internal static class SearchText
{
    /// <summary>Prefixes up to this long are served by <c>series_fts</c>'s prefix indexes (schema V002), read lazily.</summary>
    public const int IndexedPrefixLength = 4;

    /// <summary>
    /// A longer prefix is written as the terms it matches when there are at most this many: FTS5 reads a term's rows
    /// lazily (a query stops after the rows it needs, a probe of one row seeks), but it merges every row of every term
    /// of a prefix before returning the first (~10 ms for a word in 100,000 series).
    /// </summary>
    public const int MaxExpandedTerms = 16;

    /// <summary>The words of <paramref name="text"/>, each as its lower-case tokens; words without a token are dropped.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Words(string? text)
    {
        var words = new List<IReadOnlyList<string>>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }

        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var tokens = new List<string>();
            var token = new StringBuilder();
            foreach (var c in word)
            {
                if (IsTokenCharacter(c))
                {
                    token.Append(char.ToLowerInvariant(c));
                }
                else if (token.Length > 0)
                {
                    tokens.Add(token.ToString());
                    token.Clear();
                }
            }

            if (token.Length > 0)
            {
                tokens.Add(token.ToString());
            }

            if (tokens.Count > 0)
            {
                words.Add(tokens);
            }
        }

        return words;
    }

    /// <summary>
    /// The FTS5 query for <paramref name="text"/>, or <see langword="null"/> when it holds no token.
    /// <paramref name="expand"/> lists the index's terms that start with a prefix (up to <see cref="MaxExpandedTerms"/> + 1
    /// of them); without it every last token stays a prefix.
    /// </summary>
    public static string? Build(string? text, Func<string, IReadOnlyList<string>>? expand = null)
    {
        var words = Words(text);
        if (words.Count == 0)
        {
            return null;
        }

        var parts = new List<string>(words.Count);
        foreach (var tokens in words)
        {
            var head = string.Concat(tokens.Take(tokens.Count - 1).Select(t => t + " "));
            var last = tokens[^1];
            var terms = expand is not null && last.Length > IndexedPrefixLength && Ascii.IsValid(last) ? expand(last) : null;
            parts.Add(terms is { Count: > 0 and <= MaxExpandedTerms }
                ? "(" + string.Join(" OR ", terms.Select(t => $"\"{head}{t}\"")) + ")"
                : $"\"{head}{last}\"*");
        }

        return string.Join(" AND ", parts);
    }

    /// <summary>
    /// Whether <paramref name="match"/> (from <see cref="Build"/>) holds a prefix longer than the prefix indexes serve:
    /// FTS5 merges all of its terms' rows even to probe one row.
    /// </summary>
    public static bool HasMergedPrefix(string match)
    {
        for (var end = match.IndexOf("\"*", StringComparison.Ordinal); end >= 0; end = match.IndexOf("\"*", end + 2, StringComparison.Ordinal))
        {
            // The phrase's last token starts after its opening quote or the space before it (tokens hold neither).
            var start = match.AsSpan(0, end).LastIndexOfAny(' ', '"') + 1;
            if (end - start > IndexedPrefixLength)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first term after every term starting with <paramref name="prefix"/> (ordinal order), as an exclusive upper
    /// bound; only for ASCII letters and digits, where the next character is still ASCII.
    /// </summary>
    public static string UpperBound(string prefix) => string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString());

    // unicode61's default token characters: letters, numbers and private-use characters.
    private static bool IsTokenCharacter(char c)
        => char.IsLetterOrDigit(c) || char.IsNumber(c) || char.GetUnicodeCategory(c) == UnicodeCategory.PrivateUse;
}
