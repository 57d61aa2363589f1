using System.Security.Cryptography;
using System.Text;

namespace TiesOffice.Application;

/// <summary>
/// The one name a user has in logs, in every layer: 12 lower-case hex digits of HMAC-SHA256 over
/// <c>tenant id, newline, user id</c>. The same user gets the same pseudonym in the Application's lines and in the
/// storage adapter's, so one user's work can be followed without any id or address in the logs.
/// </summary>
/// <remarks>
/// The key makes the pseudonym one-way even for someone who can list candidate ids (a plain hash of an id or address
/// can be reversed by trying them). The composition root sets it from <c>Privacy:LogPseudonymKey</c>; without that
/// setting each process draws a random key, so pseudonyms still match within a process but not across hosts or
/// restarts. Set it (from Key Vault) to follow a user across hosts.
/// </remarks>
public static class UserPseudonym
{
    private static byte[] s_key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Uses <paramref name="secret"/> as the key from now on (call once, at start).</summary>
    /// <param name="secret">The secret; at least 16 characters.</param>
    public static void UseKey(string secret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        if (secret.Length < 16)
        {
            throw new ArgumentException("The log pseudonym key must be at least 16 characters.", nameof(secret));
        }

        Volatile.Write(ref s_key, Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>The user's pseudonym.</summary>
    /// <param name="user">The user.</param>
    /// <returns>12 lower-case hex digits.</returns>
    public static string Of(UserKey user)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Volatile.Read(ref s_key), Encoding.UTF8.GetBytes(user.TenantId + "\n" + user.UserId), mac);
        return Convert.ToHexStringLower(mac[..6]);
    }
}
