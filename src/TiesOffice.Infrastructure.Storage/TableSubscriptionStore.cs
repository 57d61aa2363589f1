using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The <c>subscriptions</c> table, partitioned by user: row <c>s|&lt;encoded subscription id&gt;</c>.</summary>
internal sealed class TableSubscriptionStore(StorageTables tables) : ISubscriptionStore
{
    internal const string Prefix = "s|";

    public async Task SaveAsync(UserKey user, GraphSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), Row(subscription.Id))
        {
            ["SubscriptionId"] = subscription.Id,
            ["Resource"] = subscription.Resource,
            ["ExpiresAt"] = subscription.ExpiresAt,
            ["ClientState"] = subscription.ClientState,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<GraphSubscription?> GetAsync(UserKey user, string subscriptionId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(subscriptionId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    public async IAsyncEnumerable<GraphSubscription> ReadAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(row);
        }
    }

    public async Task RemoveAsync(UserKey user, string subscriptionId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Subscriptions, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteAsync(table, UserPartition.Of(user), [Row(subscriptionId)], cancellationToken).ConfigureAwait(false);
    }

    private static string Row(string subscriptionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        return Prefix + KeyEncoding.Encode(subscriptionId);
    }

    private static GraphSubscription FromEntity(TableEntity row) => new(
        row.GetString("SubscriptionId"),
        row.GetString("Resource"),
        row.GetDateTimeOffset("ExpiresAt") ?? DateTimeOffset.MinValue,
        row.GetString("ClientState"));
}
