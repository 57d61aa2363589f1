using System.Text;
using Azure.Data.Tables;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>syncstate</c> table, partitioned by user. Row <c>s|&lt;encoded stream&gt;</c> holds a stream's delta link,
/// split over <c>L0</c>, <c>L1</c>, … string properties of at most 30,000 characters (the limit is 32K UTF-16
/// characters); row <c>status</c> the sync status (time zone, last sync and outcome); row <c>ledger</c> the tie
/// ledger's status (<c>Stale</c>, <c>ScoredAt</c>). A user's partition is a handful of rows, so
/// <see cref="ReadAsync"/> reads it whole in one request.
/// </summary>
internal sealed class TableSyncStateStore(StorageTables tables) : ISyncStateStore
{
    internal const string StatusRow = "status";
    internal const string LedgerRow = "ledger";
    private const string LinkPrefix = "s|";
    private const int PieceLength = 30_000;

    public async Task<UserSyncState> ReadAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        UserSyncStatus? status = null;
        var ledger = LedgerStatus.None;
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.Filter(UserPartition.Of(user)), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == StatusRow)
            {
                status = ToStatus(row);
            }
            else if (row.RowKey == LedgerRow)
            {
                ledger = new LedgerStatus(row.GetBoolean("Stale") ?? false, row.GetDateTimeOffset("ScoredAt"));
            }
            else if (row.RowKey.StartsWith(LinkPrefix, StringComparison.Ordinal) && row.GetString("Stream") is { } stream)
            {
                links[stream] = Join(row);
            }
        }

        return new UserSyncState(links, status, ledger);
    }

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

    public async Task SetStatusAsync(UserKey user, UserSyncStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), StatusRow)
        {
            ["TimeZone"] = status.TimeZone,
            ["TimeZoneCheckedAt"] = status.TimeZoneCheckedAt,
            ["LastSyncAt"] = status.LastSyncAt,
            ["LastOutcome"] = status.LastOutcome?.ToString(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task MarkLedgerStaleAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);

        // A merge keeps ScoredAt as it was.
        var entity = new TableEntity(UserPartition.Of(user), LedgerRow) { ["Stale"] = true };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetLedgerScoredAsync(UserKey user, DateTimeOffset scoredAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(user), LedgerRow) { ["Stale"] = false, ["ScoredAt"] = scoredAt };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    internal static string Row(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return LinkPrefix + KeyEncoding.Encode(stream);
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

    private static UserSyncStatus ToStatus(TableEntity row)
    {
        SyncOutcome? outcome = Enum.TryParse<SyncOutcome>(row.GetString("LastOutcome"), out var parsed) ? parsed : null;
        return new UserSyncStatus(row.GetString("TimeZone"), row.GetDateTimeOffset("TimeZoneCheckedAt"), row.GetDateTimeOffset("LastSyncAt"), outcome);
    }
}
