using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>leases</c> table, partitioned by user: one row, <c>sync</c>, with the owner and expiry, deleted on release.
/// Taking a lease is an insert (a second racer gets 409) or, for an expired lease, a read and a replace with If-Match
/// (a second racer gets 412),
/// so exactly one racer wins. The token is the row's ETag. Expiry compares host clocks, so keep the lease
/// duration well above the expected clock skew.
/// </summary>
internal sealed class TableUserLease(StorageTables tables, TimeProvider clock, IOptions<StorageOptions> options, ILogger<TableUserLease> logger) : IUserLease
{
    internal const string Row = "sync";
    private readonly TimeSpan _duration = options.Value.LeaseDuration;

    public async Task<UserLeaseHandle?> TryAcquireAsync(UserKey user, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var table = await tables.GetAsync(TableNames.Leases, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var now = clock.GetUtcNow();
        var nonce = Guid.NewGuid().ToString("N");
        var entity = new TableEntity(partition, Row) { ["Owner"] = owner, ["ExpiresAt"] = now + _duration, ["Nonce"] = nonce };
        try
        {
            // A released lease is deleted, so the usual case is a plain insert: one request.
            var added = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            logger.LeaseAcquired(new UserRef(user), owner, now + _duration);
            return new UserLeaseHandle(user, owner, now + _duration, added.Headers.ETag!.Value.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The row exists: held by someone, expired, or our own insert whose response was lost (the SDK retried).
        }

        try
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
            Response response;
            if (!existing.HasValue || existing.Value is null)
            {
                // Released between our insert and this read.
                response = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else if (existing.Value.GetString("Nonce") == nonce)
            {
                logger.LeaseAcquired(new UserRef(user), owner, now + _duration);
                return new UserLeaseHandle(user, owner, now + _duration, existing.Value.ETag.ToString());
            }
            else if (existing.Value.GetDateTimeOffset("ExpiresAt") is { } expiresAt && expiresAt > now)
            {
                logger.LeaseBusy(new UserRef(user));
                return null;
            }
            else
            {
                response = await table.UpdateEntityAsync(entity, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            logger.LeaseAcquired(new UserRef(user), owner, now + _duration);
            return new UserLeaseHandle(user, owner, now + _duration, response.Headers.ETag!.Value.ToString());
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // A conflict may be our own write: the first attempt succeeded, its response was lost, and the SDK's
            // retry collided with it. The nonce tells.
            var mine = await ReadIfMineAsync(table, partition, nonce, cancellationToken).ConfigureAwait(false);
            if (mine is not null)
            {
                logger.LeaseAcquired(new UserRef(user), owner, now + _duration);
                return new UserLeaseHandle(user, owner, now + _duration, mine.Value.ToString());
            }

            logger.LeaseBusy(new UserRef(user));
            return null;
        }
    }

    public async Task<UserLeaseHandle?> RenewAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var table = await tables.GetAsync(TableNames.Leases, cancellationToken).ConfigureAwait(false);
        var expiresAt = clock.GetUtcNow() + _duration;
        var partition = UserPartition.Of(lease.User);
        var nonce = Guid.NewGuid().ToString("N");
        var entity = new TableEntity(partition, Row) { ["Owner"] = lease.Owner, ["ExpiresAt"] = expiresAt, ["Nonce"] = nonce };
        try
        {
            var response = await table.UpdateEntityAsync(entity, new ETag(lease.Token), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return lease with { ExpiresAt = expiresAt, Token = response.Headers.ETag!.Value.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            if (await ReadIfMineAsync(table, partition, nonce, cancellationToken).ConfigureAwait(false) is { } mine)
            {
                return lease with { ExpiresAt = expiresAt, Token = mine.ToString() };
            }

            logger.LeaseLost(new UserRef(lease.User), lease.Owner);
            return null;
        }
    }

    /// <summary>The row's ETag when the row carries <paramref name="nonce"/> (our write landed), else null.</summary>
    private static async Task<ETag?> ReadIfMineAsync(TableClient table, string partition, string nonce, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null && row.Value.GetString("Nonce") == nonce ? row.Value.ETag : null;
    }

    public async Task ReleaseAsync(UserLeaseHandle lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var table = await tables.GetAsync(TableNames.Leases, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(UserPartition.Of(lease.User), Row, new ETag(lease.Token), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            logger.LeaseLost(new UserRef(lease.User), lease.Owner);
        }
    }
}
