using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Turns any string (an address, a Graph id, a tenant name) into a valid Table Storage key component, reversibly.
/// </summary>
/// <remarks>
/// Table keys may not contain <c>/ \ # ?</c> or control characters (U+0000–U+001F, U+007F–U+009F) and are at most
/// 1 KiB. Those characters, the escape character itself, the separator <c>|</c>, the hash marker <c>~</c>, lone
/// surrogates and a few URL- or filter-sensitive characters (<c>% ' " + &amp;</c> and space) become <c>!XXXX</c>
/// (four hex digits of the UTF-16 code unit). Every other character, including all of Unicode, is kept, so keys
/// stay readable and sort like their input. An encoded component longer than <see cref="MaxComponentLength"/>
/// becomes <c>~</c> plus the base64url SHA-256 of the input; that form cannot be decoded, so every row keeps the
/// original value in a property as well.
/// </remarks>
public static class KeyEncoding
{
    /// <summary>The longest encoded component kept readable; two components plus a prefix stay far below 1 KiB.</summary>
    public const int MaxComponentLength = 250;

    /// <summary>The separator between key components; never appears inside an encoded component.</summary>
    public const char Separator = '|';

    private const char Escape = '!';
    private const char HashMarker = '~';

    /// <summary>Encodes one key component.</summary>
    /// <param name="value">Any non-null string.</param>
    /// <returns>A non-empty key component without <c>|</c>, of at most <see cref="MaxComponentLength"/> characters.</returns>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return "!";
        }

        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pairedSurrogate)
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (MustEscape(c))
            {
                builder.Append(Escape).Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }

            if (builder.Length > MaxComponentLength)
            {
                return Hash(value);
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a component made by <see cref="Encode"/>.</summary>
    /// <param name="key">The encoded component.</param>
    /// <returns>The original string, or null when the component is a hash (read the original from its row).</returns>
    public static string? Decode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith(HashMarker))
        {
            return null;
        }

        if (key == "!")
        {
            return string.Empty;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == Escape)
            {
                if (i + 4 >= key.Length)
                {
                    throw new FormatException("Truncated escape in an encoded key.");
                }

                builder.Append((char)int.Parse(key.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 4;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Whether an encoded component is the hashed form of a long input.</summary>
    public static bool IsHashed(string key) => key.StartsWith(HashMarker);

    /// <summary>The first character after every encoded component that starts with <paramref name="prefix"/>; for range queries.</summary>
    public static string RangeEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static bool MustEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '|' or '!' or '~' or '%' or '\'' or '"' or '+' or '&' or ' '
        || char.IsControl(c)
        || char.IsSurrogate(c)
        || c is '\uFFFE' or '\uFFFF';

    private static string Hash(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return HashMarker + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
