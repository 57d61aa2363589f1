using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Scoring;

/// <summary>
/// Turns change-notification work into sync jobs on the queue, so the webhook answers Graph within its 3 seconds
/// and the sync runs later under the user's lease. The notification's reason (and subscription, when lifecycle
/// work needs it) travel in the job's reason as <c>notification:{reason}[:{subscriptionId}]</c>.
/// </summary>
public sealed class QueuedSyncWork(IJobQueue queue, TimeProvider time) : ISyncWorkSink
{
    /// <summary>The reason prefix of jobs that came from Graph notifications.</summary>
    public const string NotificationPrefix = "notification:";

    /// <inheritdoc />
    public Task EnqueueAsync(SyncWorkItem work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var reason = NotificationPrefix + work.Reason + (work.SubscriptionId is { Length: > 0 } id ? ":" + id : string.Empty);
        var job = new SyncJob(work.User.TenantId, work.User.UserId, reason, time.GetUtcNow(), "notify:" + Guid.NewGuid().ToString("N"));
        return queue.EnqueueAsync(job, cancellationToken: cancellationToken);
    }

    /// <summary>Reads the notification work a job carries, or null for a job that did not come from a notification.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The work item, or null.</returns>
    public static SyncWorkItem? Parse(SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (!job.Reason.StartsWith(NotificationPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = job.Reason[NotificationPrefix.Length..].Split(':', 2);
        return Enum.TryParse<SyncWorkReason>(parts[0], out var reason)
            ? new SyncWorkItem(job.User, reason, parts.Length > 1 ? parts[1] : null)
            : null;
    }
}
