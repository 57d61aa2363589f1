using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>conversations</c> table, partitioned by user: one row, <c>ref</c>; and the <c>teamsusers</c> index
/// (<see cref="ITeamsUserIndex"/>), partitioned by Entra object id: one row, <c>user</c>, naming the tenant and user
/// that hold a reference for it.
/// </summary>
internal sealed class TableConversationReferenceStore(StorageTables tables) : IConversationReferenceStore, ITeamsUserIndex
{
    private const string Row = "ref";
    private const string IndexRow = "user";

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
        var index = await tables.GetAsync(TableNames.TeamsUsers, cancellationToken).ConfigureAwait(false);
        await index.UpsertEntityAsync(
            new TableEntity(IndexPartition(user.UserId), IndexRow) { ["TenantId"] = user.TenantId, ["UserId"] = user.UserId },
            TableUpdateMode.Replace,
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserKey?> FindAsync(string aadObjectId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(aadObjectId);
        var index = await tables.GetAsync(TableNames.TeamsUsers, cancellationToken).ConfigureAwait(false);
        var row = await index.GetEntityIfExistsAsync<TableEntity>(IndexPartition(aadObjectId), IndexRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? new UserKey(row.Value.GetString("TenantId"), row.Value.GetString("UserId")) : null;
    }

    private static string IndexPartition(string aadObjectId) => KeyEncoding.Encode(aadObjectId.ToLowerInvariant());

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
        await RemoveIndexAsync(user, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the user's index entry, unless it names the same object id under another tenant (not this user's to remove).</summary>
    /// <returns>Whether an entry was removed.</returns>
    internal async Task<bool> RemoveIndexAsync(UserKey user, CancellationToken cancellationToken)
    {
        if (await FindAsync(user.UserId, cancellationToken).ConfigureAwait(false) != user)
        {
            return false;
        }

        var index = await tables.GetAsync(TableNames.TeamsUsers, cancellationToken).ConfigureAwait(false);
        return await TableBatches.DeleteAsync(index, IndexPartition(user.UserId), [IndexRow], cancellationToken).ConfigureAwait(false) > 0;
    }
}
