using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The <c>conversations</c> table, partitioned by user: one row, <c>ref</c>.</summary>
internal sealed class TableConversationReferenceStore(StorageTables tables) : IConversationReferenceStore
{
    private const string Row = "ref";

    public async Task SaveAsync(UserKey user, ConversationReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var table = await tables.GetAsync(TableNames.Conversations, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), Row)
        {
            ["ServiceUrl"] = reference.ServiceUrl,
            ["ConversationId"] = reference.ConversationId,
            ["ConversationType"] = reference.ConversationType,
            ["TenantId"] = reference.TenantId,
            ["BotId"] = reference.BotId,
            ["ChannelUserId"] = reference.UserId,
            ["AadObjectId"] = reference.AadObjectId,
            ["ChannelId"] = reference.ChannelId,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ConversationReference?> GetAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Conversations, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is null)
        {
            return null;
        }

        var value = row.Value;
        return new ConversationReference(
            value.GetString("ServiceUrl"),
            value.GetString("ConversationId"),
            value.GetString("ConversationType"),
            value.GetString("TenantId"),
            value.GetString("BotId"),
            value.GetString("ChannelUserId"),
            value.GetString("AadObjectId"),
            value.GetString("ChannelId"));
    }

    public async Task RemoveAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Conversations, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteAsync(table, UserPartition.Of(user), [Row], cancellationToken).ConfigureAwait(false);
    }
}
