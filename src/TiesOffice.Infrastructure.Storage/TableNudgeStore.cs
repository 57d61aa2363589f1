using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The <c>nudges</c> table, partitioned by user: row <c>n|&lt;keyed hash of the nudge id&gt;</c> (ids may embed addresses; see <see cref="ContactKeys"/>).</summary>
internal sealed class TableNudgeStore(StorageTables tables, ContactKeys keys, ILogger<TableNudgeStore> logger) : INudgeStore
{
    private const string Prefix = "n|";

    public async Task UpsertAsync(UserKey user, IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nudges);
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var rows = nudges.Select(n => (ITableEntity)new TableEntity(partition, Row(user, n.Id))
        {
            ["NudgeId"] = n.Id,
            ["Contact"] = n.Contact,
            ["Kind"] = n.Kind,
            ["PlannedFor"] = n.PlannedFor,
            ["SentAt"] = n.SentAt,
            ["Status"] = n.Status.ToString(),
        });
        var written = await TableBatches.UpsertAsync(table, rows, cancellationToken).ConfigureAwait(false);
        logger.RowsUpserted(written, "nudge", new UserRef(user));
    }

    public async Task<Nudge?> GetAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(user, nudgeId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    public async IAsyncEnumerable<Nudge> ReadAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(row);
        }
    }

    public async Task RemoveAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Nudges, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteAsync(table, UserPartition.Of(user), [Row(user, nudgeId)], cancellationToken).ConfigureAwait(false);
    }

    private string Row(UserKey user, string nudgeId) => Prefix + keys.ForId(user, nudgeId);

    private static Nudge FromEntity(TableEntity row) => new(
        row.GetString("NudgeId"),
        row.GetString("Contact"),
        row.GetString("Kind"),
        row.GetDateTimeOffset("PlannedFor") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("SentAt"),
        Enum.TryParse<NudgeStatus>(row.GetString("Status"), out var status) ? status : NudgeStatus.Planned);
}
