using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Ports;

/// <summary>A request to sync (and re-score) one user.</summary>
/// <param name="TenantId">The user's tenant.</param>
/// <param name="UserId">The user's id within the tenant.</param>
/// <param name="Reason">Why the sync was requested (timer, notification, enrol, manual), for the record.</param>
/// <param name="RequestedAt">
/// When it was requested (the requesting host's clock). A sync that started later serves it: the job is then dropped
/// as a duplicate.
/// </param>
/// <param name="JobId">A unique id; a redelivered message keeps it, so it is the key for duplicate detection.</param>
public sealed record SyncJob(string TenantId, string UserId, string Reason, DateTimeOffset RequestedAt, string JobId)
{
    /// <summary>The user the job is for.</summary>
    public UserKey User => new(TenantId, UserId);

    /// <summary>The Graph notification the job came from, or null for a job that did not come from one.</summary>
    public JobNotification? Notification { get; init; }
}

/// <summary>What a Graph change or lifecycle notification asked of a user's job.</summary>
/// <param name="Kind">What Graph reported: a change, missed notifications, a removed subscription, or reauthorization.</param>
/// <param name="SubscriptionId">The subscription concerned, when lifecycle work needs it.</param>
public sealed record JobNotification(SyncWorkReason Kind, string? SubscriptionId);

/// <summary>The queue of sync jobs.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue.")]
public interface IJobQueue
{
    /// <summary>Enqueues a job, visible after <paramref name="delay"/> (immediately when null).</summary>
    Task EnqueueAsync(SyncJob job, TimeSpan? delay = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The timer's fan-out: enqueues one job per <see cref="ConsentState.Active"/> user across all tenants, with job id
    /// <c>{reason}:{runId}</c>, each visible after <see cref="Jobs.FanOutSpread.DelayFor"/>(user,
    /// <paramref name="spread"/>) (all at once when <paramref name="spread"/> is zero). The sends run side by side.
    /// Give each timer occurrence one <paramref name="runId"/> (for example its scheduled time, <c>yyyyMMddHHmm</c>):
    /// if two hosts fire the same occurrence, each user's two copies share the job id and the delay, and the second
    /// is a <see cref="JobOutcome.Duplicate"/>.
    /// </summary>
    /// <returns>How many jobs were enqueued.</returns>
    Task<int> EnqueueForActiveUsersAsync(string reason, string runId, DateTimeOffset requestedAt, TimeSpan spread, CancellationToken cancellationToken = default);
}

/// <summary>What happened to one delivered job message.</summary>
public enum JobOutcome
{
    /// <summary>The handler succeeded and the message was deleted.</summary>
    Completed = 0,

    /// <summary>
    /// A sync that started after the job was requested has completed (a redelivery, a second copy, or a timer job that
    /// waited behind a backlog), or the same job id has; the handler was not run and the message was deleted.
    /// </summary>
    Duplicate = 1,

    /// <summary>The user is not enrolled or not active (for example erased); the message was deleted unprocessed.</summary>
    Dropped = 2,

    /// <summary>The handler failed; the message becomes visible again after a back-off.</summary>
    Retrying = 3,

    /// <summary>The message was malformed or failed too often; it was moved to the poison queue.</summary>
    Poisoned = 4,

    /// <summary>Another host was syncing the same user (it holds the user's lease); the job was re-queued for later.</summary>
    Deferred = 5,
}

/// <summary>The counts of one processed batch.</summary>
/// <param name="Received">Messages received.</param>
/// <param name="Completed">Handled successfully.</param>
/// <param name="Duplicates">Skipped as already completed.</param>
/// <param name="Dropped">Skipped because the user may not be synced.</param>
/// <param name="Retrying">Failed, left for a later retry.</param>
/// <param name="Poisoned">Moved to the poison queue.</param>
/// <param name="Deferred">Re-queued because the user's lease was held elsewhere.</param>
public sealed record JobBatchResult(int Received, int Completed, int Duplicates, int Dropped, int Retrying, int Poisoned, int Deferred = 0);

/// <summary>
/// Processes sync job messages with at-least-once delivery: a message is deleted only after its handler succeeded,
/// a failed one reappears after a visibility timeout, and after the configured number of deliveries (5) it moves
/// to the poison queue without blocking the others. A malformed message moves to poison at once. The start time and
/// job id of each user's last completed sync are remembered, and a job requested before that start (or with that id)
/// is a duplicate: one read, no lease and no Graph request, so a redelivered message has one effect and timer jobs
/// queued behind a backlog cost almost nothing. While a handler runs, the processor holds the user's
/// <see cref="IUserLease"/> (renewed in the background; the handler's token is cancelled if it is lost), so at most
/// one job per user runs at a time across hosts; a job whose user is busy is re-queued with a delay. Handlers must
/// therefore not take the user's lease themselves.
/// </summary>
public interface IJobProcessor
{
    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> messages (at most 32) and runs <paramref name="handler"/> on each,
    /// at most <paramref name="maxConcurrency"/> at a time.
    /// </summary>
    Task<JobBatchResult> ProcessBatchAsync(
        Func<SyncJob, CancellationToken, Task> handler,
        int maxMessages = 16,
        int maxConcurrency = 1,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Handles one message that a host's own queue trigger delivered (Azure Functions): parses it, skips duplicates
    /// and inactive users, runs <paramref name="handler"/> and records completion. A malformed message throws
    /// <see cref="FormatException"/>, so the trigger's own retry and poison handling applies.
    /// </summary>
    Task<JobOutcome> HandleDeliveredAsync(
        string messageText,
        Func<SyncJob, CancellationToken, Task> handler,
        CancellationToken cancellationToken = default);

    /// <summary>Counts the visible messages of the job queue and of its poison queue (approximate).</summary>
    Task<(int Pending, int Poison)> GetDepthAsync(CancellationToken cancellationToken = default);
}
