using Azure;
using Azure.Data.Tables;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>Writes and deletes rows of one partition in entity group transactions of at most 100 rows and ~3 MB.</summary>
internal static class TableBatches
{
    public const int MaxOperations = 100;

    // The service's limit is 4 MiB per transaction; binary travels base64 in the JSON body, so leave room.
    private const long MaxPayloadBytes = 3 * 1024 * 1024;

    public static async Task<int> UpsertAsync(TableClient table, IEnumerable<ITableEntity> entities, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var group in entities.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
        {
            // One operation per row in a transaction: when a row key repeats, the last one wins.
            foreach (var chunk in Chunk(group.Reverse().DistinctBy(e => e.RowKey, StringComparer.Ordinal).Reverse()))
            {
                if (chunk.Count == 1)
                {
                    await table.UpsertEntityAsync(chunk[0], TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e));
                    await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                }

                written += chunk.Count;
            }
        }

        return written;
    }

    /// <summary>Deletes rows by key; rows that are already gone are ignored.</summary>
    public static async Task<int> DeleteAsync(TableClient table, string partitionKey, IEnumerable<string> rowKeys, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var chunk in rowKeys.Distinct(StringComparer.Ordinal).Chunk(MaxOperations))
        {
            try
            {
                if (chunk.Length == 1)
                {
                    deleted += await DeleteOneAsync(table, partitionKey, chunk[0], cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var actions = chunk.Select(rk => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partitionKey, rk), ETag.All));
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                deleted += chunk.Length;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Someone deleted one of them first; the transaction failed as a whole, so go one by one.
                foreach (var rowKey in chunk)
                {
                    deleted += await DeleteOneAsync(table, partitionKey, rowKey, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return deleted;
    }

    /// <summary>Lists the row keys of a partition within [from, to), or all when no range is given.</summary>
    public static async Task<List<string>> RowKeysAsync(TableClient table, string partitionKey, string? from, string? to, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Filter(partitionKey, from, to), select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }

    public static string Filter(string partitionKey, string? from = null, string? to = null) =>
        from is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {to}");

    public static string PrefixFilter(string partitionKey, string rowKeyPrefix) =>
        Filter(partitionKey, rowKeyPrefix, KeyEncoding.RangeEnd(rowKeyPrefix));

    private static async Task<int> DeleteOneAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            return 1;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }

    private static IEnumerable<List<ITableEntity>> Chunk(IEnumerable<ITableEntity> entities)
    {
        var chunk = new List<ITableEntity>();
        long bytes = 0;
        foreach (var entity in entities)
        {
            var size = EstimateWireBytes(entity);
            if (chunk.Count > 0 && (chunk.Count == MaxOperations || bytes + size > MaxPayloadBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(entity);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static long EstimateWireBytes(ITableEntity entity)
    {
        long size = 512 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 3);
        if (entity is TableEntity table)
        {
            foreach (var (name, value) in table)
            {
                size += (name.Length * 2) + 64 + value switch
                {
                    byte[] bytes => (bytes.Length * 4 / 3) + 4,
                    BinaryData data => (data.ToMemory().Length * 4 / 3) + 4,
                    string text => text.Length * 3,
                    _ => 32,
                };
            }
        }

        return size;
    }
}
