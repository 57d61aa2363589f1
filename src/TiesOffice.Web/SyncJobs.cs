using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Ports;

namespace TiesOffice.Web;

/// <summary>
/// The two halves of the scheduled sync, shared by the hosts: the fan-out (one queue message per active user) and the
/// handling of one delivered message (sync, then re-score). The Functions app calls them from its timer and queue
/// triggers; the DevHost from its background workers.
/// </summary>
public sealed partial class SyncJobs(
    IJobQueue queue,
    IJobProcessor processor,
    UserSyncHandler handler,
    IPrivacyOperations privacy,
    IUserDirectory directory,
    IOptions<SyncScheduleOptions> schedule,
    TimeProvider time,
    ILogger<SyncJobs> logger)
{
    /// <summary>
    /// The timer's fan-out: queues one sync job per active user, each visible after its own fixed offset within
    /// <see cref="SyncScheduleOptions.Interval"/> (<see cref="FanOutSpread"/>), so every user syncs once per interval and
    /// the load is flat. A repeated occurrence (two hosts, one timer tick) dedupes by run id.
    /// </summary>
    /// <param name="runId">Identifies the timer occurrence, e.g. its scheduled time.</param>
    /// <param name="cancellationToken">Cancels the fan-out.</param>
    /// <returns>How many jobs were queued.</returns>
    public Task<int> FanOutAsync(string runId, CancellationToken cancellationToken = default) =>
        FanOutAsync(runId, schedule.Value.Interval, cancellationToken);

    /// <summary>Queues one sync job per active user, all visible at once (a manual "sync everyone now").</summary>
    /// <param name="runId">Identifies the request.</param>
    /// <param name="cancellationToken">Cancels the fan-out.</param>
    /// <returns>How many jobs were queued.</returns>
    public Task<int> FanOutNowAsync(string runId, CancellationToken cancellationToken = default) =>
        FanOutAsync(runId, TimeSpan.Zero, cancellationToken);

    private async Task<int> FanOutAsync(string runId, TimeSpan spread, CancellationToken cancellationToken)
    {
        var count = await queue.EnqueueForActiveUsersAsync("timer", runId, time.GetUtcNow(), spread, cancellationToken).ConfigureAwait(false);
        Log.FannedOut(logger, count, spread.TotalSeconds);
        return count;
    }

    /// <summary>Applies the retention period to every enrolled user (the hosts run it once a day, not with every fan-out).</summary>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>How many items were dropped.</returns>
    public async Task<int> ApplyRetentionAsync(CancellationToken cancellationToken = default)
    {
        var dropped = 0;
        await foreach (var user in directory.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            dropped += await privacy.ApplyRetentionAsync(user.User, cancellationToken).ConfigureAwait(false);
        }

        return dropped;
    }

    /// <summary>Handles one message delivered by a Functions queue trigger.</summary>
    /// <param name="messageText">The message text.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What happened to the message.</returns>
    public Task<JobOutcome> HandleDeliveredAsync(string messageText, CancellationToken cancellationToken = default) =>
        processor.HandleDeliveredAsync(messageText, RunAsync, cancellationToken);

    /// <summary>Receives and handles one batch from the queue (the DevHost's worker).</summary>
    /// <param name="maxConcurrency">How many users to sync side by side.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The batch's counts.</returns>
    public Task<JobBatchResult> ProcessBatchAsync(int maxConcurrency, CancellationToken cancellationToken = default) =>
        processor.ProcessBatchAsync(RunAsync, 16, maxConcurrency, cancellationToken);

    private Task RunAsync(SyncJob job, CancellationToken cancellationToken) => handler.HandleAsync(job, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Sync fan-out queued {Count} users, spread over {SpreadSeconds} s")]
        public static partial void FannedOut(ILogger logger, int count, double spreadSeconds);
    }
}
