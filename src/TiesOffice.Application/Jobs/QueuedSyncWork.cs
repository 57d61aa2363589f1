using TiesOffice.Application.Ports;
using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Jobs;

/// <summary>
/// Turns change-notification work into sync jobs on the queue, so the webhook answers Graph within its 3 seconds
/// and the sync runs later under the user's lease. The notification's kind and subscription travel in the job's
/// <see cref="SyncJob.Notification"/>.
/// </summary>
public sealed class QueuedSyncWork(IJobQueue queue, TimeProvider time) : ISyncWorkSink
{
    /// <summary>The reason recorded for jobs that came from Graph notifications.</summary>
    public const string NotificationReason = "notification";

    /// <inheritdoc />
    public Task EnqueueAsync(SyncWorkItem work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var job = new SyncJob(work.User.TenantId, work.User.UserId, NotificationReason, time.GetUtcNow(), "notify:" + Guid.NewGuid().ToString("N"))
        {
            Notification = new JobNotification(work.Reason, work.SubscriptionId),
        };
        return queue.EnqueueAsync(job, cancellationToken: cancellationToken);
    }

    /// <summary>Reads the notification work a job carries, or null for a job that did not come from a notification.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The work item, or null.</returns>
    public static SyncWorkItem? Parse(SyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Notification is { } n ? new SyncWorkItem(job.User, n.Kind, n.SubscriptionId) : null;
    }
}
