using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>items</c> table, partitioned by user. A message is row <c>m|&lt;encoded id&gt;</c>, a meeting row
/// <c>e|&lt;encoded id&gt;</c>. The item is stored as gzipped JSON in binary columns (see <see cref="BlobColumns"/>),
/// so a 10,000-recipient message or a 5,000-attendee meeting fits; in the rare case it needs more than one row
/// (about 700 KB compressed), the extra rows are <c>x|&lt;main row key&gt;|001</c> and on. Every row carries
/// <c>At</c> (sent time or meeting start) for retention. Subjects are never stored.
/// </summary>
internal sealed class TableMailboxStore(StorageTables tables, ILogger<TableMailboxStore> logger) : IMailboxStore
{
    internal const string MessagePrefix = "m|";
    internal const string MeetingPrefix = "e|";
    internal const string PartPrefix = "x|";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public Task UpsertMessagesAsync(UserKey user, IReadOnlyCollection<MailMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return UpsertAsync(user, messages.Select(m => (MessagePrefix, m.Id, m.SentAt, Serialize(m with { Subject = null }))), "message", cancellationToken);
    }

    public Task UpsertMeetingsAsync(UserKey user, IReadOnlyCollection<Meeting> meetings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        return UpsertAsync(user, meetings.Select(m => (MeetingPrefix, m.Id, m.Start, Serialize(m))), "meeting", cancellationToken);
    }

    public async Task RemoveAsync(UserKey user, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        var table = await tables.GetAsync(TableNames.Items, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var doomed = new List<string>();
        foreach (var id in itemIds.Distinct(StringComparer.Ordinal))
        {
            foreach (var mainRow in new[] { MessagePrefix + KeyEncoding.Encode(id), MeetingPrefix + KeyEncoding.Encode(id) })
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, mainRow, select: ["Parts", "ItemId"], cancellationToken: cancellationToken).ConfigureAwait(false);
                if (row.HasValue && row.Value is not null && row.Value.GetString("ItemId") == id)
                {
                    doomed.Add(mainRow);
                    doomed.AddRange(Enumerable.Range(1, (row.Value.GetInt32("Parts") ?? 1) - 1).Select(part => PartRow(mainRow, part)));
                }
            }
        }

        var deleted = await TableBatches.DeleteAsync(table, partition, doomed, cancellationToken).ConfigureAwait(false);
        logger.RowsDeleted(deleted, "item", new UserRef(user));
    }

    public IAsyncEnumerable<MailMessage> ReadMessagesAsync(UserKey user, CancellationToken cancellationToken = default) =>
        ReadAsync<MailMessage>(user, MessagePrefix, cancellationToken);

    public IAsyncEnumerable<Meeting> ReadMeetingsAsync(UserKey user, CancellationToken cancellationToken = default) =>
        ReadAsync<Meeting>(user, MeetingPrefix, cancellationToken);

    /// <summary>Removes every item whose <c>At</c> is before <paramref name="cutoff"/>; returns the number of items (not rows).</summary>
    internal async Task<int> RemoveOlderThanAsync(UserKey user, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Items, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and At lt {cutoff}");
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row.RowKey);
        }

        await TableBatches.DeleteAsync(table, partition, rows, cancellationToken).ConfigureAwait(false);
        return rows.Count(r => !r.StartsWith(PartPrefix, StringComparison.Ordinal));
    }

    private async Task UpsertAsync(UserKey user, IEnumerable<(string Prefix, string Id, DateTimeOffset At, byte[] Data)> items, string kind, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Items, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var rows = new List<ITableEntity>();
        foreach (var (prefix, id, at, data) in items)
        {
            ArgumentException.ThrowIfNullOrEmpty(id);
            var mainRow = prefix + KeyEncoding.Encode(id);
            var parts = BlobColumns.RowsFor(data.Length);
            for (var part = 0; part < parts; part++)
            {
                var entity = new TableEntity(partition, part == 0 ? mainRow : PartRow(mainRow, part))
                {
                    ["ItemId"] = id,
                    ["At"] = at,
                    ["Part"] = part,
                    ["Parts"] = parts,
                    ["Length"] = data.Length,
                };
                BlobColumns.Fill(entity, data, part);
                rows.Add(entity);
            }
        }

        // Extra rows first, main rows last: a crash in between leaves unreferenced extra rows, never a main row
        // pointing at extra rows that were not written.
        var ordered = rows.OrderBy(r => r.RowKey.StartsWith(PartPrefix, StringComparison.Ordinal) ? 0 : 1).ToList();
        var written = await TableBatches.UpsertAsync(table, ordered, cancellationToken).ConfigureAwait(false);
        logger.RowsUpserted(written, kind, new UserRef(user));
    }

    private async IAsyncEnumerable<T> ReadAsync<T>(UserKey user, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Items, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        await foreach (var row in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(partition, prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            BlobColumns.Read(row, buffer);
            var parts = row.GetInt32("Parts") ?? 1;
            for (var part = 1; part < parts; part++)
            {
                var extra = await table.GetEntityIfExistsAsync<TableEntity>(partition, PartRow(row.RowKey, part), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (extra.HasValue && extra.Value is not null)
                {
                    BlobColumns.Read(extra.Value, buffer);
                }
            }

            if (buffer.Length != (row.GetInt32("Length") ?? -1))
            {
                // A multi-row item whose rewrite was interrupted; the next sync of that item rewrites it.
                logger.ItemIncomplete(new UserRef(user), parts);
                continue;
            }

            buffer.Position = 0;
            yield return JsonSerializer.Deserialize<T>(BlobColumns.Decompress(buffer), s_json)
                ?? throw new InvalidDataException("A stored item was empty.");
        }
    }

    private static string PartRow(string mainRow, int part) => PartPrefix + mainRow + "|" + part.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    private static byte[] Serialize<T>(T item) => BlobColumns.Compress(JsonSerializer.SerializeToUtf8Bytes(item, s_json));
}
