using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using TiesOffice.Web;

namespace TiesOffice.Functions;

/// <summary>
/// The scheduled sync: a timer fans out one queue message per active user; the queue trigger syncs and re-scores each.
/// A daily timer applies retention.
/// </summary>
public sealed class SyncFunctions(SyncJobs jobs, TimeProvider time)
{
    /// <summary>Fans out the sync (schedule <c>SyncSchedule:Cron</c>, default every 15 minutes).</summary>
    [Function("SyncFanOut")]
    public async Task FanOut([TimerTrigger("%SyncSchedule:Cron%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // The occurrence's minute names the run, so two hosts firing the same tick queue each user once.
        var runId = time.GetUtcNow().ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        await jobs.FanOutAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies the retention period to every enrolled user, once a day at 03:30 UTC (a year's period needs no more).</summary>
    [Function("Retention")]
    public Task Retention([TimerTrigger("0 30 3 * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        jobs.ApplyRetentionAsync(cancellationToken);

    /// <summary>Syncs and re-scores one user. A malformed message throws, so the runtime's 5 tries and poison queue apply.</summary>
    [Function("SyncUser")]
    public Task SyncUser([QueueTrigger("%Storage:QueueName%", Connection = "Storage")] string message, CancellationToken cancellationToken) =>
        jobs.HandleDeliveredAsync(message, cancellationToken);
}
