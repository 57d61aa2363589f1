using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Sync jobs on an Azure Storage queue (JSON, base64-encoded like the Functions queue trigger expects), with its
/// <c>-poison</c> queue, and each user's last completed sync in the <c>jobs</c> table (partitioned by user, row
/// <c>last</c>: the job id, when it was requested, when its sync started and ended) for duplicate detection.
/// </summary>
/// <remarks>
/// A message is <c>{tenantId, userId, reason, requestedAt, jobId, notification?: {kind, subscriptionId?}}</c>.
/// Messages queued before <c>notification</c> existed carried it in the reason as
/// <c>notification:{kind}[:{subscriptionId}]</c>; they are still read. A notification of an unknown kind is poisoned
/// with that reason.
/// </remarks>
internal sealed class QueueJobQueue(
    StorageQueues queues,
    StorageTables tables,
    IUserDirectory directory,
    IUserLease lease,
    TimeProvider clock,
    IOptions<StorageOptions> options,
    ILogger<QueueJobQueue> logger) : IJobQueue, IJobProcessor
{
    /// <summary>The row key of a user's last completed sync. Versions before it kept one row per job, <c>j|&lt;encoded job id&gt;</c>.</summary>
    internal const string LastSyncRow = "last";
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly StorageOptions _options = options.Value;
    private readonly string _owner = "jobs-" + Guid.NewGuid().ToString("N")[..12];

    public async Task EnqueueAsync(SyncJob job, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrEmpty(job.JobId);
        UserPartition.Validate(job.User);
        var queue = await queues.JobsAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(Serialize(job), visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
        logger.JobEnqueued(new Hashed(job.JobId), new UserRef(job.User));
    }

    public async Task<int> EnqueueForActiveUsersAsync(string reason, string runId, DateTimeOffset requestedAt, TimeSpan spread, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentOutOfRangeException.ThrowIfLessThan(spread, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spread, FanOutSpread.MaxWindow);
        var count = 0;

        // One round trip per message, so the sends run side by side: 10,000 users take seconds rather than minutes.
        await Parallel.ForEachAsync(
            directory.ListActiveAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = _options.FanOutParallelism, CancellationToken = cancellationToken },
            async (user, token) =>
            {
                var job = new SyncJob(user.User.TenantId, user.User.UserId, reason, requestedAt, reason + ":" + runId);
                var delay = FanOutSpread.DelayFor(job.User, spread);
                await EnqueueAsync(job, delay == TimeSpan.Zero ? null : delay, token).ConfigureAwait(false);
                Interlocked.Increment(ref count);
            }).ConfigureAwait(false);

        return count;
    }

    public async Task<JobBatchResult> ProcessBatchAsync(Func<SyncJob, CancellationToken, Task> handler, int maxMessages = 16, int maxConcurrency = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var queue = await queues.JobsAsync(cancellationToken).ConfigureAwait(false);
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        var outcomes = new JobOutcome[messages.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, messages.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxConcurrency), CancellationToken = cancellationToken },
            async (i, token) => outcomes[i] = await HandleAsync(queue, messages[i], handler, token).ConfigureAwait(false)).ConfigureAwait(false);

        int Count(JobOutcome outcome) => outcomes.Count(o => o == outcome);
        return new JobBatchResult(
            messages.Length,
            Count(JobOutcome.Completed),
            Count(JobOutcome.Duplicate),
            Count(JobOutcome.Dropped),
            Count(JobOutcome.Retrying),
            Count(JobOutcome.Poisoned),
            Count(JobOutcome.Deferred));
    }

    public async Task<JobOutcome> HandleDeliveredAsync(string messageText, Func<SyncJob, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!TryParse(messageText, out var job, out var reason))
        {
            throw new FormatException("Malformed sync job message: " + reason);
        }

        var gate = await GateAsync(job, cancellationToken).ConfigureAwait(false);
        if (gate is not null)
        {
            return gate.Value;
        }

        var outcome = await RunLeasedAsync(job, handler, cancellationToken).ConfigureAwait(false);
        if (outcome == JobOutcome.Deferred)
        {
            await DeferAsync(job, cancellationToken).ConfigureAwait(false);
        }

        return outcome;
    }

    public async Task<(int Pending, int Poison)> GetDepthAsync(CancellationToken cancellationToken = default)
    {
        var queue = await queues.JobsAsync(cancellationToken).ConfigureAwait(false);
        var poison = await queues.PoisonAsync(cancellationToken).ConfigureAwait(false);
        QueueProperties jobs = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        QueueProperties dead = await poison.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return (jobs.ApproximateMessagesCount, dead.ApproximateMessagesCount);
    }

    internal static BinaryData Serialize(SyncJob job) => BinaryData.FromObjectAsJson(
        new SyncJobMessage(
            job.TenantId, job.UserId, job.Reason, job.RequestedAt, job.JobId,
            job.Notification is { } n ? new NotificationMessage(n.Kind.ToString(), n.SubscriptionId) : null),
        s_json);

    internal static bool TryParse(string? text, out SyncJob job, out string reason)
    {
        job = null!;
        SyncJobMessage? message;
        try
        {
            message = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<SyncJobMessage>(text, s_json);
        }
        catch (JsonException ex)
        {
            reason = "not valid JSON (" + ex.GetType().Name + " at byte " + ex.BytePositionInLine + ")";
            return false;
        }

        if (message is null)
        {
            reason = "empty message";
            return false;
        }

        var missing = new List<string>();
        if (string.IsNullOrEmpty(message.TenantId)) missing.Add("tenantId");
        if (string.IsNullOrEmpty(message.UserId)) missing.Add("userId");
        if (string.IsNullOrEmpty(message.JobId)) missing.Add("jobId");
        if (message.RequestedAt is null) missing.Add("requestedAt");
        if (missing.Count > 0)
        {
            reason = "missing " + string.Join(", ", missing);
            return false;
        }

        var jobReason = message.Reason ?? "unspecified";
        var notification = message.Notification;
        if (notification is null && jobReason.StartsWith(LegacyNotificationPrefix, StringComparison.Ordinal))
        {
            // Queued by a version that packed the notification into the reason.
            var parts = jobReason[LegacyNotificationPrefix.Length..].Split(':', 2);
            notification = new NotificationMessage(parts[0], parts.Length > 1 ? parts[1] : null);
            jobReason = "notification";
        }

        JobNotification? parsed = null;
        if (notification is not null)
        {
            if (!Enum.TryParse<SyncWorkReason>(notification.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(notification.Kind, out _))
            {
                reason = "unknown notification kind";
                return false;
            }

            parsed = new JobNotification(kind, string.IsNullOrEmpty(notification.SubscriptionId) ? null : notification.SubscriptionId);
        }

        job = new SyncJob(message.TenantId!, message.UserId!, jobReason, message.RequestedAt!.Value, message.JobId!) { Notification = parsed };
        reason = string.Empty;
        return true;
    }

    private async Task<JobOutcome> HandleAsync(QueueClient queue, QueueMessage message, Func<SyncJob, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        if (!TryParse(message.Body.ToString(), out var job, out var reason))
        {
            await MoveToPoisonAsync(queue, message, reason, cancellationToken).ConfigureAwait(false);
            return JobOutcome.Poisoned;
        }

        var jobRef = new Hashed(job.JobId);
        var userRef = new UserRef(job.User);
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Delivered more often than allowed without a verdict (a host crashed mid-handler each time).
            await MoveToPoisonAsync(queue, message, $"delivered {message.DequeueCount} times", cancellationToken).ConfigureAwait(false);
            return JobOutcome.Poisoned;
        }

        JobOutcome outcome;
        try
        {
            outcome = await GateAsync(job, cancellationToken).ConfigureAwait(false)
                ?? await RunLeasedAsync(job, handler, cancellationToken).ConfigureAwait(false);
            if (outcome == JobOutcome.Deferred)
            {
                await DeferAsync(job, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, message, $"failed {message.DequeueCount} times, last with {ex.GetType().Name}", cancellationToken).ConfigureAwait(false);
                return JobOutcome.Poisoned;
            }

            var backoff = Backoff(message.DequeueCount);
            logger.JobFailed(jobRef, userRef, message.DequeueCount, ex.GetType().Name, backoff);
            try
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: backoff, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException update) when (update.Status is 404 or 400)
            {
                logger.MessageReceiptExpired(message.MessageId);
            }

            return JobOutcome.Retrying;
        }

        await DeleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
        logger.JobHandled(jobRef, userRef, outcome, message.DequeueCount);
        return outcome;
    }

    /// <summary>
    /// Null when the job may go on to take the user's lease; otherwise why it should not. First, whether a sync that
    /// started after the job was requested has completed (one read): timer jobs that queued up behind a backlog, and
    /// redelivered or second copies, end here without a lease or a Graph request. Then whether the user may be synced.
    /// The served check is made again under the lease (<see cref="RunLeasedAsync"/>), for a copy that passed this one
    /// while another copy ran.
    /// </summary>
    private async Task<JobOutcome?> GateAsync(SyncJob job, CancellationToken cancellationToken)
    {
        if (await IsServedAsync(job, cancellationToken).ConfigureAwait(false))
        {
            return JobOutcome.Duplicate;
        }

        if (_options.DropJobsOfInactiveUsers && !await directory.IsSyncAllowedAsync(job.User, cancellationToken).ConfigureAwait(false))
        {
            return JobOutcome.Dropped;
        }

        return null;
    }

    /// <summary>
    /// Whether the user's last completed sync serves the job: it started after the job was requested, or it was this
    /// very job. A subscription's lifecycle job (renew or recreate it) is served only by itself, since no other job does
    /// that work. Start and request times come from the hosts' clocks, so a job requested within the clock skew after a
    /// sync started may count as served; the next timer job covers it.
    /// </summary>
    private async Task<bool> IsServedAsync(SyncJob job, CancellationToken cancellationToken)
    {
        var onlyByItself = job.Notification is { Kind: SyncWorkReason.ReauthorizationRequired or SyncWorkReason.SubscriptionRemoved };
        var table = await tables.GetAsync(TableNames.Jobs, cancellationToken).ConfigureAwait(false);
        var last = await table.GetEntityIfExistsAsync<TableEntity>(UserPartition.Of(job.User), LastSyncRow, select: ["JobId", "StartedAt"], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!last.HasValue || last.Value is null)
        {
            return false;
        }

        return last.Value.GetString("JobId") == job.JobId || (!onlyByItself && last.Value.GetDateTimeOffset("StartedAt") > job.RequestedAt);
    }

    /// <summary>
    /// Takes the user's lease, checks under it that no copy of the job has completed (two copies of one job can be
    /// delivered at once; only one can hold the lease, and the second then finds the first's mark), runs the handler
    /// and records completion. <see cref="JobOutcome.Deferred"/> when the lease is held elsewhere.
    /// </summary>
    private async Task<JobOutcome> RunLeasedAsync(SyncJob job, Func<SyncJob, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        if (!_options.LeaseJobsPerUser)
        {
            var started = clock.GetUtcNow();
            await handler(job, cancellationToken).ConfigureAwait(false);
            await MarkCompletedAsync(job, started, cancellationToken).ConfigureAwait(false);
            return JobOutcome.Completed;
        }

        var held = await lease.TryAcquireAsync(job.User, _owner, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            return JobOutcome.Deferred;
        }

        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopRenewing = new CancellationTokenSource();
        var renewal = RenewWhileRunningAsync(held, lost, stopRenewing.Token);
        try
        {
            if (await IsServedAsync(job, lost.Token).ConfigureAwait(false))
            {
                return JobOutcome.Duplicate;
            }

            // Anything that reaches the mailbox after this moment may be missed by this sync, so only jobs requested
            // before it count as served by it.
            var started = clock.GetUtcNow();
            await handler(job, lost.Token).ConfigureAwait(false);
            await MarkCompletedAsync(job, started, lost.Token).ConfigureAwait(false);
        }
        finally
        {
            await stopRenewing.CancelAsync().ConfigureAwait(false);
            held = await renewal.ConfigureAwait(false);
            if (held is not null)
            {
                await lease.ReleaseAsync(held, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return JobOutcome.Completed;
    }

    /// <summary>Renews the lease every third of its duration; cancels <paramref name="lost"/> if it is lost. Returns the latest handle.</summary>
    private async Task<UserLeaseHandle?> RenewWhileRunningAsync(UserLeaseHandle held, CancellationTokenSource lost, CancellationToken stop)
    {
        var current = held;
        try
        {
            while (true)
            {
                await Task.Delay(_options.LeaseDuration / 3, clock, stop).ConfigureAwait(false);

                // Not cancelled by stop: a renewal cut off in flight may have landed at the server with a new ETag
                // while we kept the old one, and the release would then fail (412) and leave the lease held until
                // it expires. Seen on a busy machine: the next acquire found the lease still held.
                var renewed = await lease.RenewAsync(current, CancellationToken.None).ConfigureAwait(false);
                if (renewed is null)
                {
                    await lost.CancelAsync().ConfigureAwait(false);
                    return null;
                }

                current = renewed;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return current;
        }
    }

    /// <summary>Re-queues a copy of the job (a fresh message, so its delivery count starts again) for after the back-off.</summary>
    private async Task DeferAsync(SyncJob job, CancellationToken cancellationToken)
    {
        var queue = await queues.JobsAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(Serialize(job), visibilityTimeout: _options.RetryBackoff, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the user's last completed sync (one upsert; the jobs of one user run one at a time under the lease).</summary>
    private async Task MarkCompletedAsync(SyncJob job, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableNames.Jobs, cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(UserPartition.Of(job.User), LastSyncRow)
        {
            ["JobId"] = job.JobId,
            ["Reason"] = job.Reason,
            ["RequestedAt"] = job.RequestedAt,
            ["StartedAt"] = startedAt,
            ["CompletedAt"] = clock.GetUtcNow(),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueMessage message, string reason, CancellationToken cancellationToken)
    {
        var poison = await queues.PoisonAsync(cancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        await DeleteAsync(queue, message, cancellationToken).ConfigureAwait(false);
        logger.MessagePoisoned(message.MessageId, poison.Name, reason);
    }

    private async Task DeleteAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            logger.MessageReceiptExpired(message.MessageId);
        }
    }

    private TimeSpan Backoff(long dequeueCount)
    {
        var seconds = _options.RetryBackoff.TotalSeconds * Math.Pow(2, Math.Max(0, dequeueCount - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.VisibilityTimeout.TotalSeconds));
    }

    private const string LegacyNotificationPrefix = "notification:";

    private sealed record SyncJobMessage(string? TenantId, string? UserId, string? Reason, DateTimeOffset? RequestedAt, string? JobId, NotificationMessage? Notification = null);

    private sealed record NotificationMessage(string? Kind, string? SubscriptionId);
}

/// <summary>The job queue and its poison queue, created once per process on first use.</summary>
internal sealed class StorageQueues(QueueServiceClient service, IOptions<StorageOptions> options)
{
    private readonly Lazy<Task<QueueClient>> _jobs = new(() => CreateAsync(service, options.Value.QueueName));
    private readonly Lazy<Task<QueueClient>> _poison = new(() => CreateAsync(service, options.Value.QueueName + "-poison"));

    public Task<QueueClient> JobsAsync(CancellationToken cancellationToken) => _jobs.Value.WaitAsync(cancellationToken);

    public Task<QueueClient> PoisonAsync(CancellationToken cancellationToken) => _poison.Value.WaitAsync(cancellationToken);

    private static async Task<QueueClient> CreateAsync(QueueServiceClient service, string name)
    {
        var client = service.GetQueueClient(name);
        await client.CreateIfNotExistsAsync().ConfigureAwait(false);
        return client;
    }
}
