using Microsoft.Extensions.Logging;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Application.Sync;

namespace TiesOffice.Application.Jobs;

/// <summary>What one queued sync job did.</summary>
/// <param name="User">Who.</param>
/// <param name="Sync">The mailbox sync's result, or null when the user may not be synced.</param>
/// <param name="Rescore">The re-score's result, or null when nothing was scored (not allowed, or nothing new and scored within a day).</param>
public sealed record UserSyncReport(UserKey User, MailboxSyncResult? Sync, RescoreResult? Rescore);

/// <summary>
/// The per-user job behind the queue: checks that the user may be synced, syncs the mailbox from Graph, and
/// re-scores the user's ties from what the sync stored (or, when it stored nothing, at most once a day for decay),
/// then runs the proactive step (<see cref="Proactive.ProactiveSends"/>: the weekly digest and reminders, when due).
/// Both hosts run it: the Functions queue trigger and the DevHost's queue worker.
/// </summary>
/// <remarks>
/// The queue processor holds the user's lease while this runs, so at most one sync runs per user. Every step is
/// idempotent: a redelivered job syncs again (a delta round with no changes costs one request per stream) and adds
/// nothing twice.
/// </remarks>
public sealed partial class UserSyncHandler(
    IUserDirectory directory,
    ISyncStateStore state,
    MailboxSync sync,
    MailboxChangeTracker tracker,
    TieScoring scoring,
    ILogger<UserSyncHandler> logger,
    SubscriptionManager? subscriptions = null,
    Proactive.ProactiveSends? proactive = null)
{
    /// <summary>Runs one job.</summary>
    /// <param name="job">The job.</param>
    /// <param name="cancellationToken">Cancels the work; stored data stays consistent and the next run resumes.</param>
    /// <returns>What was done.</returns>
    public async Task<UserSyncReport> HandleAsync(SyncJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var user = job.User;
        var enrolled = await directory.GetAsync(user, cancellationToken).ConfigureAwait(false);
        if (enrolled is not { Consent: ConsentState.Active })
        {
            var who = UserPseudonym.Of(user);
            Log.NotAllowed(logger, who);
            return new UserSyncReport(user, null, null);
        }

        // One read of the user's sync state serves the sync (its links and status) and the scoring (the ledger's status).
        var saved = await state.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        var changes = tracker.Open(user, saved.Ledger);
        MailboxSyncResult result;
        try
        {
            // Lifecycle work (renew or recreate a subscription) runs first when notifications are on; then the sync.
            var work = QueuedSyncWork.Parse(job);
            var maintained = work is { Reason: SyncWorkReason.ReauthorizationRequired or SyncWorkReason.SubscriptionRemoved } && subscriptions is not null
                ? await subscriptions.RunAsync(work, cancellationToken).ConfigureAwait(false)
                : null;
            result = maintained ?? await sync.SyncAsync(enrolled, saved, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            tracker.Close(user);
        }

        if (result.Outcome is SyncOutcome.NeedsConsent or SyncOutcome.Skipped)
        {
            // The sync marked the user as needing consent in the directory; nothing new to score.
            return new UserSyncReport(user, result, null);
        }

        var rescore = scoring.IsDue(changes)
            ? await scoring.RescoreAsync(user, enrolled.MailAddress, changes, cancellationToken).ConfigureAwait(false)
            : null;

        // The digest and reminders, under the same lease and after the scoring, so contact this sync found counts.
        await (proactive?.RunAsync(enrolled, saved.Status?.TimeZone, cancellationToken) ?? Task.FromResult(Proactive.ProactiveReport.None)).ConfigureAwait(false);
        return new UserSyncReport(user, result, rescore);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Sync job for user {User} dropped: not enrolled or no consent")]
        public static partial void NotAllowed(ILogger logger, string user);
    }
}
