namespace TiesOffice.Domain.Metadata;

/// <summary>The one rule for comparing mail addresses.</summary>
public static class MailAddress
{
    /// <summary>Trims and lower-cases an address (invariant culture), so that one person is one key.</summary>
    /// <param name="address">The address as it arrived.</param>
    /// <returns>The normalised address, or an empty string for null or blank input.</returns>
    public static string Normalize(string? address) =>
        string.IsNullOrWhiteSpace(address) ? string.Empty : address.Trim().ToLowerInvariant();

    /// <summary>Whether the text looks like a mail address: one '@' with something on each side, no white space.</summary>
    /// <param name="address">The text to check.</param>
    /// <returns>True when it is plausible as an address.</returns>
    public static bool IsPlausible(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return false;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == address.LastIndexOf('@') && at < address.Length - 1
            && !address.Any(char.IsWhiteSpace);
    }

    /// <summary>
    /// Whether the text can name a person in a mail-metadata log: a mail address, or an opaque id such as a
    /// pseudonymised export's <c>u17</c>. It is one token: not blank, no white space, and none of the characters that
    /// separate or decorate addresses (<c>, ; &lt; &gt; "</c>).
    /// </summary>
    /// <param name="key">The normalised text to check.</param>
    /// <returns>True when it can serve as a person's key.</returns>
    public static bool IsPersonKey(string? key) =>
        !string.IsNullOrEmpty(key) && !key.Any(char.IsWhiteSpace) && key.AsSpan().IndexOfAny(",;<>\"") < 0;
}
