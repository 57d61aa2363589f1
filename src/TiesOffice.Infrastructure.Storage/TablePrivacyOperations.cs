using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Export, erase and retention over every table. Because every user table is partitioned by the user, "every row of
/// a user" is "every row of the user's partition in every user table", plus the user's row in <c>users</c>.
/// </summary>
internal sealed class TablePrivacyOperations(
    StorageTables tables,
    StorageQueues queues,
    IUserDirectory directory,
    ISettingsStore settings,
    TableMailboxStore mailbox,
    ITieStore ties,
    INudgeStore nudges,
    IConversationReferenceStore conversations,
    IUserLease lease,
    ISubscriptionStore subscriptions,
    ITierHistoryStore history,
    IDigestClaimStore claims,
    ITeamsUserIndex teamsIndex,
    TimeProvider clock,
    IOptions<StorageOptions> options,
    ILogger<TablePrivacyOperations> logger) : IPrivacyOperations
{
    private readonly StorageOptions _options = options.Value;

    public async Task<UserDataExport> ExportAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var partition = UserPartition.Of(user);
        var enrolment = await directory.GetAsync(user, cancellationToken).ConfigureAwait(false);

        var settingsTable = await tables.GetAsync(TableNames.Settings, cancellationToken).ConfigureAwait(false);
        var hasSettings = (await settingsTable.GetEntityIfExistsAsync<TableEntity>(partition, TableSettingsStore.SettingsRow, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false)).HasValue;
        var userSettings = hasSettings ? await settings.GetSettingsAsync(user, cancellationToken).ConfigureAwait(false) : null;
        var overrides = await ToListAsync(settings.ReadOverridesAsync(user, cancellationToken)).ConfigureAwait(false);

        var syncTable = await tables.GetAsync(TableNames.SyncState, cancellationToken).ConfigureAwait(false);
        var syncState = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in syncTable.QueryAsync<TableEntity>(TableBatches.Filter(partition), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            // Delta-link rows carry their stream's name; the sync status row (time zone, last outcome) is listed by its key.
            var stream = row.GetString("Stream");
            syncState[stream ?? row.RowKey] = stream is not null
                ? TableSyncStateStore.Join(row)
                : string.Join("; ", row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"))
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
        }

        var messages = await ToListAsync(mailbox.ReadMessagesAsync(user, cancellationToken)).ConfigureAwait(false);
        var meetings = await ToListAsync(mailbox.ReadMeetingsAsync(user, cancellationToken)).ConfigureAwait(false);
        var tieList = await ToListAsync(ties.ReadAsync(user, cancellationToken)).ConfigureAwait(false);
        var nudgeList = await ToListAsync(nudges.ReadAsync(user, cancellationToken)).ConfigureAwait(false);
        var reference = await conversations.GetAsync(user, cancellationToken).ConfigureAwait(false);

        var engineTable = await tables.GetAsync(TableNames.Engine, cancellationToken).ConfigureAwait(false);
        var head = await engineTable.GetEntityIfExistsAsync<TableEntity>(partition, TableEngineStateStore.HeadRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        long? engineBytes = head.HasValue && head.Value is not null ? head.Value.GetInt32("Length") : null;

        var jobsTable = await tables.GetAsync(TableNames.Jobs, cancellationToken).ConfigureAwait(false);
        var jobs = new List<string>();
        await foreach (var row in jobsTable.QueryAsync<TableEntity>(TableBatches.Filter(partition), select: ["JobId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(row.GetString("JobId"));
        }

        var subscriptionList = (await subscriptions.ListAsync(user, cancellationToken).ConfigureAwait(false))
            .Select(s => new UserDataExport.Subscription(s.Id, s.Resource, s.ExpiresAt))
            .ToList();

        var months = await history.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        var claimList = (await ToListAsync(claims.ReadAsync(user, cancellationToken)).ConfigureAwait(false)).OrderBy(c => c.Week, StringComparer.Ordinal).ToList();

        // The index is keyed by object id (not in the user's partitions); it is the user's when it names them.
        var indexed = await teamsIndex.FindAsync(user.UserId, cancellationToken).ConfigureAwait(false);
        var indexEntry = indexed == user ? new UserDataExport.TeamsIndexEntry(user.UserId, user) : null;
        var export = new UserDataExport(user, clock.GetUtcNow(), enrolment, userSettings, overrides, syncState, messages, meetings, tieList, engineBytes, nudgeList, reference, jobs, subscriptionList, months, claimList, indexEntry);
        var rows = (enrolment is null ? 0 : 1) + (hasSettings ? 1 : 0) + overrides.Count + months.Count + syncState.Count + messages.Count + meetings.Count
            + tieList.Count + nudgeList.Count + (reference is null ? 0 : 1) + jobs.Count + subscriptionList.Count + claimList.Count + (indexEntry is null ? 0 : 1);
        logger.UserExported(new UserRef(user), rows);
        return export;
    }

    public async Task<EraseResult> EraseAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var partition = UserPartition.Of(user);
        var userRef = new UserRef(user);

        // 1. Close the gate: from now on no job of this user runs and no sync passes IsSyncAllowedAsync.
        await directory.SetConsentAsync(user, ConsentState.Erased, cancellationToken).ConfigureAwait(false);

        // 2. Wait for a sync in flight (it holds the lease) to finish, so it cannot write after the erase.
        var held = await WaitForLeaseAsync(user, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            logger.EraseWithoutLease(userRef, _options.EraseLeaseWait);
        }

        // 3. Every row of the user's partition in every user table, then the directory row.
        var subscriptionIds = (await subscriptions.ListAsync(user, cancellationToken).ConfigureAwait(false)).Select(s => s.Id).ToList();
        foreach (var id in subscriptionIds)
        {
            // Removes the user's row and the id index row, so no trace of the subscription remains.
            await subscriptions.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        }

        // The bot's index entry of the user (keyed by object id, so not in the user's partitions).
        if (conversations is TableConversationReferenceStore index)
        {
            await index.RemoveIndexAsync(user, cancellationToken).ConfigureAwait(false);
        }

        var deleted = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in TableNames.UserTables)
        {
            var table = await tables.GetAsync(name, cancellationToken).ConfigureAwait(false);
            var rows = await TableBatches.RowKeysAsync(table, partition, null, null, cancellationToken).ConfigureAwait(false);
            deleted[name] = await TableBatches.DeleteAsync(table, partition, rows, cancellationToken).ConfigureAwait(false);
        }

        deleted[TableNames.Users] = await directory.UnenrolAsync(user, cancellationToken).ConfigureAwait(false) ? 1 : 0;

        // 4. Queued jobs: queues cannot be filtered server-side, so scan both queues (see PurgeQueueAsync).
        var jobs = await PurgeQueueAsync(await queues.JobsAsync(cancellationToken).ConfigureAwait(false), user, cancellationToken).ConfigureAwait(false)
            + await PurgeQueueAsync(await queues.PoisonAsync(cancellationToken).ConfigureAwait(false), user, cancellationToken).ConfigureAwait(false);

        var result = new EraseResult(deleted, jobs, subscriptionIds);
        logger.UserErased(userRef, result.TotalRows, jobs);
        return result;
    }

    public async Task<int> ApplyRetentionAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - _options.RetentionPeriod;
        var removed = await mailbox.RemoveOlderThanAsync(user, cutoff, cancellationToken).ConfigureAwait(false);

        // Completed job ids are only needed while a redelivery is possible.
        var jobs = await tables.GetAsync(TableNames.Jobs, cancellationToken).ConfigureAwait(false);
        var partition = UserPartition.Of(user);
        var jobCutoff = now - _options.CompletedJobRetention;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and CompletedAt lt {jobCutoff}");
        var old = new List<string>();
        await foreach (var row in jobs.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            old.Add(row.RowKey);
        }

        await TableBatches.DeleteAsync(jobs, partition, old, cancellationToken).ConfigureAwait(false);
        logger.RetentionApplied(removed, cutoff, new UserRef(user));
        return removed;
    }

    private async Task<UserLeaseHandle?> WaitForLeaseAsync(UserKey user, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + _options.EraseLeaseWait;
        while (true)
        {
            var held = await lease.TryAcquireAsync(user, "erase", cancellationToken).ConfigureAwait(false);
            if (held is not null || clock.GetUtcNow() >= deadline)
            {
                return held;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Receives every visible message (hiding each for a minute), deletes the user's, and makes the others visible
    /// again at the end. Each scanned message's dequeue count goes up by one. Messages that another host holds
    /// invisibly at that moment are not seen; the directory gate drops those when they are processed.
    /// </summary>
    private static async Task<int> PurgeQueueAsync(QueueClient queue, UserKey user, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var others = new List<(string Id, string Receipt)>();
        try
        {
            for (var round = 0; round < 10_000; round++)
            {
                QueueMessage[] batch = await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false);
                if (batch.Length == 0)
                {
                    break;
                }

                foreach (var message in batch)
                {
                    if (IsFor(message, user))
                    {
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                        deleted++;
                    }
                    else
                    {
                        others.Add((message.MessageId, message.PopReceipt));
                    }
                }
            }
        }
        finally
        {
            foreach (var (id, receipt) in others)
            {
                try
                {
                    await queue.UpdateMessageAsync(id, receipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 400)
                {
                    // Its receipt expired and someone else has it now; nothing to restore.
                }
            }
        }

        return deleted;
    }

    private static bool IsFor(QueueMessage message, UserKey user)
    {
        try
        {
            using var json = JsonDocument.Parse(message.Body.ToMemory());
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String && tenant.GetString() == user.TenantId
                && json.RootElement.TryGetProperty("userId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == user.UserId;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }
}
