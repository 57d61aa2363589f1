using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>The <c>ties</c> table, partitioned by user: row <c>t|&lt;contact key&gt;</c> (see <see cref="ContactKeys"/>), one flat row per tie.</summary>
internal sealed class TableTieStore(StorageTables tables, ContactKeys keys, ILogger<TableTieStore> logger) : ITieStore
{
    private const string Prefix = "t|";

    public async Task ReplaceAsync(UserKey user, IReadOnlyCollection<TieSnapshot> ties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ties);
        var table = await tables.GetAsync(TableNames.Ties, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);

        // One query reads what is stored; only ties that changed are written, so a re-score that moved nothing writes nothing.
        var stored = new Dictionary<string, TieSnapshot>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(partition, Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            stored[row.RowKey] = FromEntity(row);
        }

        var keep = new HashSet<string>(StringComparer.Ordinal);
        var changed = new List<ITableEntity>();
        foreach (var tie in ties)
        {
            var rowKey = Row(user, tie.Contact);
            keep.Add(rowKey);
            if (!stored.TryGetValue(rowKey, out var old) || !tie.IsSameAs(old))
            {
                changed.Add(ToEntity(partition, rowKey, tie));
            }
        }

        var written = await TableBatches.UpsertAsync(table, changed, cancellationToken).ConfigureAwait(false);
        var deleted = await TableBatches.DeleteAsync(table, partition, stored.Keys.Where(rk => !keep.Contains(rk)), cancellationToken).ConfigureAwait(false);
        logger.RowsUpserted(written, "tie", new UserRef(user));
        logger.RowsDeleted(deleted, "tie", new UserRef(user));
    }

    public async Task UpsertAsync(UserKey user, TieSnapshot tie, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tie);
        var table = await tables.GetAsync(TableNames.Ties, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        await table.UpsertEntityAsync(ToEntity(partition, Row(user, tie.Contact), tie), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        logger.RowsUpserted(1, "tie", new UserRef(user));
    }

    public async Task<TieSnapshot?> GetAsync(UserKey user, string contact, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Ties, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), Row(user, contact), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is not null ? FromEntity(row.Value) : null;
    }

    public async IAsyncEnumerable<TieSnapshot> ReadAsync(UserKey user, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Ties, cancellationToken).ConfigureAwait(false);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(UserPartition.Of(user), Prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return FromEntity(row);
        }
    }

    private string Row(UserKey user, string contact) => Prefix + keys.ForContact(user, contact);

    private static TableEntity ToEntity(string partition, string rowKey, TieSnapshot tie)
    {
        ArgumentNullException.ThrowIfNull(tie);
        if (tie.Why is { Length: > 30_000 })
        {
            throw new ArgumentException("A tie's explanation must be at most 30,000 characters.", nameof(tie));
        }

        return new TableEntity(partition, rowKey)
        {
            ["Contact"] = tie.Contact,
            ["DisplayName"] = tie.DisplayName,
            ["Tier"] = tie.Tier,
            ["Score"] = tie.Score,
            ["Reciprocity"] = tie.Reciprocity,
            ["Portability"] = tie.Portability,
            ["LastContact"] = tie.LastContact,
            ["RhythmDays"] = tie.RhythmDays,
            ["Trend"] = tie.Trend,
            ["Why"] = tie.Why,
            ["ScoredAt"] = tie.ScoredAt,
        };
    }

    private static TieSnapshot FromEntity(TableEntity row) => new(
        row.GetString("Contact"),
        row.GetString("DisplayName"),
        row.GetString("Tier") ?? "pseudo",
        row.GetDouble("Score") ?? 0,
        row.GetDouble("Reciprocity") ?? 0,
        row.GetDouble("Portability") ?? 0,
        row.GetDateTimeOffset("LastContact"),
        row.GetDouble("RhythmDays"),
        row.GetDouble("Trend") ?? 0,
        row.GetString("Why") ?? string.Empty,
        row.GetDateTimeOffset("ScoredAt") ?? DateTimeOffset.MinValue);
}
