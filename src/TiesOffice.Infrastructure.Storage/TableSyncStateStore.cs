using System.Text;
using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>syncstate</c> table, partitioned by user: row <c>s|&lt;encoded stream&gt;</c> holds the delta link,
/// split over <c>L0</c>, <c>L1</c>, … string properties of at most 30,000 characters (the limit is 32K UTF-16 characters).
/// </summary>
internal sealed class TableSyncStateStore(StorageTables tables) : ISyncStateStore
{
    private const int PieceLength = 30_000;

    public async Task<string?> GetDeltaLinkAsync(UserKey user, string stream, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(stream), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? Join(row.Value) : null;
    }

    public async Task SetDeltaLinkAsync(UserKey user, string stream, string? deltaLink, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        if (deltaLink is null)
        {
            await TableBatches.DeleteAsync(table, UserPartition.Of(user), [Row(stream)], cancellationToken).ConfigureAwait(false);
            return;
        }

        var entity = new TableEntity(UserPartition.Of(user), Row(stream)) { ["Stream"] = stream };
        for (int offset = 0, i = 0; offset < deltaLink.Length; offset += PieceLength, i++)
        {
            entity["L" + i] = deltaLink.Substring(offset, Math.Min(PieceLength, deltaLink.Length - offset));
        }

        if (deltaLink.Length == 0)
        {
            entity["L0"] = string.Empty;
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    internal static string Row(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return "s|" + KeyEncoding.Encode(stream);
    }

    internal static string Join(TableEntity row)
    {
        var builder = new StringBuilder();
        for (var i = 0; row.GetString("L" + i) is { } piece; i++)
        {
            builder.Append(piece);
        }

        return builder.ToString();
    }
}
