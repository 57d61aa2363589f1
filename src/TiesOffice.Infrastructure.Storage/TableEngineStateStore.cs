using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// The <c>engine</c> table, partitioned by user. The blob lives in chunk rows <c>c|&lt;generation&gt;|0000</c>, …
/// (binary columns, ~700 KB per row); the row <c>head</c> names the current generation, and its ETag is the
/// version. A write puts the new chunks under a fresh generation, then flips <c>head</c> with If-Match (or insert
/// when there was none), then deletes the previous generation's chunks. A crash before the flip leaves only
/// unreferenced chunks (swept an hour later); a crash after it leaves only old chunks. A reader never sees a mix.
/// </summary>
internal sealed class TableEngineStateStore(StorageTables tables, TimeProvider clock, ILogger<TableEngineStateStore> logger) : IEngineStateStore
{
    internal const string HeadRow = "head";
    private const string ChunkPrefix = "c|";
    private static readonly TimeSpan s_orphanAge = TimeSpan.FromHours(1);

    public async Task<EngineState?> ReadAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Engine, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        for (var attempt = 1; ; attempt++)
        {
            var head = await table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!head.HasValue || head.Value is null)
            {
                return null;
            }

            var generation = head.Value.GetString("Generation");
            var rows = head.Value.GetInt32("Rows") ?? 0;
            var length = head.Value.GetInt32("Length") ?? 0;
            using var buffer = new MemoryStream(length);
            var seen = 0;
            await foreach (var chunk in table.QueryAsync<TableEntity>(TableBatches.PrefixFilter(partition, ChunkPrefix + generation + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                BlobColumns.Read(chunk, buffer);
                seen++;
            }

            if (seen == rows && buffer.Length == length)
            {
                return new EngineState(buffer.ToArray(), head.Value.ETag.ToString());
            }

            // A newer write replaced this generation and deleted its chunks while we read: read the new one.
            logger.EngineStateReread(new UserRef(user));
            if (attempt >= 5)
            {
                throw new InvalidDataException("The engine state kept changing while it was read.");
            }
        }
    }

    public async Task<string?> GetVersionAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Engine, cancellationToken).ConfigureAwait(false);
        var head = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(user), HeadRow, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue && head.Value is not null ? head.Value.ETag.ToString() : null;
    }

    public async Task<string?> TryWriteAsync(UserKey user, ReadOnlyMemory<byte> data, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Engine, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var userRef = new UserRef(user);

        // Read the head first: it tells which generation to clean up, and a stale version fails fast.
        var before = await table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = before.HasValue ? before.Value : null;
        if ((current?.ETag.ToString()) != expectedVersion)
        {
            logger.EngineStateConflict(userRef);
            return null;
        }

        var generation = Guid.NewGuid().ToString("N");
        var rowCount = BlobColumns.RowsFor(data.Length);
        var chunks = new List<ITableEntity>(rowCount);
        for (var i = 0; i < rowCount; i++)
        {
            var chunk = new TableEntity(partition, ChunkRow(generation, i));
            BlobColumns.Fill(chunk, data, i);
            chunks.Add(chunk);
        }

        await TableBatches.UpsertAsync(table, chunks, cancellationToken).ConfigureAwait(false);

        var head = new TableEntity(partition, HeadRow)
        {
            ["Generation"] = generation,
            ["Rows"] = rowCount,
            ["Length"] = data.Length,
            ["WrittenAt"] = clock.GetUtcNow(),
        };
        Response flipped;
        try
        {
            flipped = current is null
                ? await table.AddEntityAsync(head, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(head, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // Our own flip may have landed with its response lost, and the SDK's retry conflicted with it.
            var after = await table.GetEntityIfExistsAsync<TableEntity>(partition, HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (after.HasValue && after.Value is not null && after.Value.GetString("Generation") == generation)
            {
                return await FinishAsync(after.Value.ETag).ConfigureAwait(false);
            }

            logger.EngineStateConflict(userRef);
            await TableBatches.DeleteAsync(table, partition, chunks.Select(c => c.RowKey), CancellationToken.None).ConfigureAwait(false);
            return null;
        }

        return await FinishAsync(flipped.Headers.ETag ?? throw new InvalidOperationException("The storage service returned no ETag.")).ConfigureAwait(false);

        async Task<string> FinishAsync(ETag version)
        {
            if (current is not null)
            {
                var oldGeneration = current.GetString("Generation");
                var oldRows = current.GetInt32("Rows") ?? 0;
                await TableBatches.DeleteAsync(table, partition, Enumerable.Range(0, oldRows).Select(i => ChunkRow(oldGeneration, i)), cancellationToken).ConfigureAwait(false);
            }

            await SweepOrphansAsync(table, partition, generation, cancellationToken).ConfigureAwait(false);
            logger.EngineStateWritten(userRef, data.Length, rowCount);
            return version.ToString();
        }
    }

    public async Task DeleteAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableNames.Engine, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var rows = await TableBatches.RowKeysAsync(table, partition, null, null, cancellationToken).ConfigureAwait(false);
        await TableBatches.DeleteAsync(table, partition, rows.OrderBy(r => r == HeadRow ? 0 : 1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes chunks of generations that never became current (a writer crashed or lost) once they are old enough.</summary>
    private async Task SweepOrphansAsync(TableClient table, string partition, string currentGeneration, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - s_orphanAge;
        var from = ChunkPrefix;
        var to = KeyEncoding.RangeEnd(ChunkPrefix);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to} and Timestamp lt {before}");
        var orphans = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!row.RowKey.StartsWith(ChunkPrefix + currentGeneration + "|", StringComparison.Ordinal))
            {
                orphans.Add(row.RowKey);
            }
        }

        await TableBatches.DeleteAsync(table, partition, orphans, cancellationToken).ConfigureAwait(false);
    }

    private static string ChunkRow(string generation, int index) =>
        ChunkPrefix + generation + "|" + index.ToString("D4", CultureInfo.InvariantCulture);
}
