using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The logical tables; the physical name is the configured prefix plus the logical name.</summary>
internal static class TableNames
{
    public const string Users = "users";
    public const string Settings = "settings";
    public const string SyncState = "syncstate";
    public const string Items = "items";
    public const string Ties = "ties";
    public const string Engine = "engine";
    public const string Nudges = "nudges";
    public const string Conversations = "conversations";
    public const string Leases = "leases";
    public const string Jobs = "jobs";
    public const string Subscriptions = "subscriptions";
    public const string TeamsUsers = "teamsusers";

    /// <summary>Every table partitioned by user (<see cref="UserPartition"/>); erase and export walk these.</summary>
    public static readonly IReadOnlyList<string> UserTables =
        [Settings, SyncState, Items, Ties, Engine, Nudges, Conversations, Leases, Jobs, Subscriptions];

    /// <summary>Every table.</summary>
    public static readonly IReadOnlyList<string> All = [Users, TeamsUsers, .. UserTables];
}

/// <summary>Gives out the table clients, creating each table once per process on first use.</summary>
internal sealed class StorageTables(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);
    private readonly string _prefix = options.Value.TablePrefix;

    public string PhysicalName(string logical) => _prefix + logical;

    public Task<TableClient> GetAsync(string logical, CancellationToken cancellationToken) =>
        _tables.GetOrAdd(logical, name => new Lazy<Task<TableClient>>(() => CreateAsync(name))).Value.WaitAsync(cancellationToken);

    private async Task<TableClient> CreateAsync(string logical)
    {
        var client = service.GetTableClient(PhysicalName(logical));
        try
        {
            await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        }
        catch
        {
            _tables.TryRemove(logical, out _);
            throw;
        }

        return client;
    }
}

/// <summary>The partition of one user's rows in every user table: encoded tenant, <c>|</c>, encoded user.</summary>
internal static class UserPartition
{
    public static string Of(TiesOffice.Application.UserKey user)
    {
        Validate(user);
        return KeyEncoding.Encode(user.TenantId) + KeyEncoding.Separator + KeyEncoding.Encode(user.UserId);
    }

    public static string Tenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        return KeyEncoding.Encode(tenantId);
    }

    public static void Validate(TiesOffice.Application.UserKey user)
    {
        if (string.IsNullOrEmpty(user.TenantId) || string.IsNullOrEmpty(user.UserId))
        {
            throw new ArgumentException("A user key needs both a tenant id and a user id.", nameof(user));
        }
    }

    /// <summary>A short, non-reversible reference to a user for logs (never the ids themselves).</summary>
    public static UserRef LogRef(TiesOffice.Application.UserKey user) => new(user);
}

/// <summary>Hashes values for logs so that no address or id appears in them.</summary>
internal static class LogHash
{
    public static string Of(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..6]);
    }
}

/// <summary>A value that appears in logs only as its short hash, computed only when the message is written.</summary>
internal readonly struct Hashed(string value)
{
    public override string ToString() => LogHash.Of(value);
}

/// <summary>
/// A user as it appears in logs: the user's one pseudonym (<see cref="TiesOffice.Application.UserPseudonym"/>, the same
/// the Application's lines carry), computed only when the message is written.
/// </summary>
internal readonly struct UserRef(TiesOffice.Application.UserKey user)
{
    public override string ToString() => TiesOffice.Application.UserPseudonym.Of(user);
}
