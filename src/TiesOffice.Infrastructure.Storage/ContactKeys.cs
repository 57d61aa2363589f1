using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Row keys for values that may be addresses (contacts, nudge ids): a keyed hash, so no address appears in a key,
/// a request URL or a storage log, and the same address gets a different key in each tenant. The original value is
/// kept in a property of the row.
/// </summary>
/// <remarks>
/// Key = base64url of the first 24 bytes of HMAC-SHA256(key: <see cref="StorageOptions.ContactKeySecret"/>,
/// data: tenant id, newline, value). Without a secret the tenant still salts the hash, but a dictionary attack can
/// reverse it; set a secret (from Key Vault) in production, and never change it, since the keys derive from it.
/// </remarks>
internal sealed class ContactKeys(IOptions<StorageOptions> options)
{
    private readonly byte[] _secret = Encoding.UTF8.GetBytes(options.Value.ContactKeySecret ?? "tiesoffice-unkeyed");

    /// <summary>The key of an address, normalised first (so case and surrounding spaces do not matter).</summary>
    public string ForContact(UserKey user, string contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return Hash(user.TenantId, MailAddress.Normalize(contact));
    }

    /// <summary>The key of an opaque id that may embed an address, exactly as given.</summary>
    public string ForId(UserKey user, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return Hash(user.TenantId, id);
    }

    private string Hash(string tenantId, string value)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(tenantId + "\n" + value), mac);
        return Convert.ToBase64String(mac[..24]).Replace('+', '-').Replace('/', '_');
    }
}
