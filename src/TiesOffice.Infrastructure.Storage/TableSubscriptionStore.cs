using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>subscriptions</c> table. Each subscription is a row in its user's partition (<c>s|&lt;encoded id&gt;</c>),
/// plus an index row in the <c>index</c> partition that maps the subscription id to its user, because a Graph
/// notification names the subscription before the receiver knows whose it is. The index row holds no address, only
/// the encoded tenant and user keys, and erase deletes it with the user's row.
/// </summary>
internal sealed class TableSubscriptionStore(StorageTables tables) : ISubscriptionStore
{
    internal const string Prefix = "s|";
    internal const string IndexPartition = "index";

    public async Task<SubscriptionRecord?> FindAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(IndexPartition, Row(subscriptionId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!index.HasValue || index.Value is null)
        {
            return null;
        }

        var user = new UserKey(index.Value.GetString("TenantId"), index.Value.GetString("UserId"));
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(subscriptionId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(user, row.Value) : null;
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> ListAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        var result = new List<SubscriptionRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(FromEntity(user, row));
        }

        return result;
    }

    public async Task SaveAsync(SubscriptionRecord subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);

        // The index first: a crash in between leaves an index row that points at nothing, which FindAsync treats as unknown.
        var index = new TableEntity(IndexPartition, Row(subscription.Id))
        {
            ["TenantId"] = subscription.User.TenantId,
            ["UserId"] = subscription.User.UserId,
        };
        await table.UpsertEntityAsync(index, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(subscription.User), Row(subscription.Id))
        {
            ["SubscriptionId"] = subscription.Id,
            ["Resource"] = subscription.Resource,
            ["ExpiresAt"] = subscription.ExpiresAt,
            ["ClientState"] = subscription.ClientState,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string subscriptionId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        var index = await table.GetEntityIfExistsAsync<TableEntity>(IndexPartition, Row(subscriptionId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (index.HasValue && index.Value is not null)
        {
            var user = new UserKey(index.Value.GetString("TenantId"), index.Value.GetString("UserId"));
            await TableBatches.DeleteAsync(table, UserPartition.Of(user), [Row(subscriptionId)], cancellationToken).ConfigureAwait(false);
        }

        await TableBatches.DeleteAsync(table, IndexPartition, [Row(subscriptionId)], cancellationToken).ConfigureAwait(false);
    }

    private static string Row(string subscriptionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        return Prefix + KeyEncoding.Encode(subscriptionId);
    }

    private static SubscriptionRecord FromEntity(UserKey user, TableEntity row) => new(
        row.GetString("SubscriptionId"),
        user,
        row.GetString("Resource"),
        row.GetString("ClientState"),
        row.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue);
}
