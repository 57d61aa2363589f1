using System.Security.Cryptography;
using System.Text;

namespace TiesOffice.GraphSimulator.Model;

/// <summary>Exchange-looking, deterministic, URL-safe ids.</summary>
internal static class Ids
{
    public static string Message(string userId, string key) => "AAMkAD" + Hash(userId + "|m|" + key, 42) + "AAA=";

    public static string Event(string userId, string key) => "AAMkAG" + Hash(userId + "|e|" + key, 42) + "AAA=";

    public static string Folder(string userId, string name) => "AQMkAD" + Hash(userId + "|f|" + name, 20) + "AAAA";

    public static string Conversation(string key) => "AAQkAD" + Hash("c|" + key, 40) + "=";

    public static string ChangeKey(string id, long seq) => "CQAAABYAAA" + Hash(id + "|" + seq.ToString(System.Globalization.CultureInfo.InvariantCulture), 20);

    public static string UserId(string address)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("user|" + address));
        return new Guid(bytes.AsSpan(0, 16)).ToString();
    }

    public static string Hash(string text, int length)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var s = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        while (s.Length < length)
        {
            s += s;
        }

        return s[..length];
    }

    /// <summary>Exchange's conversation key: the subject without reply and forward prefixes, case-folded.</summary>
    public static string NormalizeSubject(string? subject)
    {
        var s = (subject ?? string.Empty).Trim();
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var prefix in (string[])["re:", "fw:", "fwd:", "aw:", "wg:", "tr:"])
            {
                if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    s = s[prefix.Length..].TrimStart();
                    changed = true;
                }
            }
        }

        return s.ToLowerInvariant();
    }
}
