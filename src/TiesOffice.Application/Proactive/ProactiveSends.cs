using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Ties;
using Nudge = TiesOffice.Application.Ports.Nudge;

namespace TiesOffice.Application.Proactive;

/// <summary>What one proactive step did for a user.</summary>
/// <param name="Digest">The digest's outcome when one was attempted in this step; null when none was due or it had been claimed before.</param>
/// <param name="RemindersSent">Reminders sent in this step.</param>
/// <param name="RemindersDropped">Planned reminders dropped in this step (contact since, muted or snoozed, budget, no route).</param>
/// <param name="Quiet">Whether the step did nothing because it is quiet hours for the user.</param>
public sealed record ProactiveReport(DeliveryOutcome? Digest, int RemindersSent, int RemindersDropped, bool Quiet = false)
{
    /// <summary>Nothing happened.</summary>
    public static ProactiveReport None { get; } = new(null, 0, 0);
}

/// <summary>
/// The proactive step of one user, run after each sync and scoring under the user's lease: sends the weekly digest once
/// it is due in the user's time zone, and this week's reminders on their days, never in quiet hours.
/// </summary>
/// <remarks>
/// <para><b>Digest.</b> Due at the user's <see cref="UserSettings.DigestDay"/> and <see cref="UserSettings.EffectiveDigestTime"/>
/// (moved out of quiet hours), once the user's ties are scored, and sent at most <see cref="ProactiveSchedule.DigestLateness"/>
/// late. The step first claims the user's ISO week in
/// <see cref="IDigestClaimStore"/> (insert-if-absent), then asks each <see cref="IDigestChannel"/> in turn (Teams
/// first) and stops at the first that sends; the outcome is recorded on the claim. A claimed week is never sent again:
/// if the process dies between the claim and the send, that week's digest is lost rather than sent twice, and a week
/// where no channel could reach the user (no conversation reference, no mail route) stays claimed too, so an
/// unreachable user costs one debug line a week and no retries.</para>
/// <para><b>Reminders.</b> A sent digest plans one reminder for each of its suggestions whose day comes after the
/// digest's day, at <see cref="ProactiveSchedule.ReminderTime"/> local (Teams only, through <see cref="IReminderChannel"/>).
/// A due reminder is dropped when the tie's last contact is later than the plan (the sync that brought the contact runs
/// just before this step), when the tie is muted, snoozed or marked "not a relationship", or when the week's budget is
/// spent; at most one reminder goes out per local day. Reminders end when the next week's digest falls due.</para>
/// </remarks>
public sealed partial class ProactiveSends
{
    private readonly ISettingsStore _settings;
    private readonly IDigestClaimStore _claims;
    private readonly INudgeStore _nudges;
    private readonly NetworkService _network;
    private readonly IReadOnlyList<IDigestChannel> _channels;
    private readonly IReminderChannel? _reminders;
    private readonly QuietHours _quiet;
    private readonly bool _enabled;
    private readonly TimeProvider _time;
    private readonly ILogger<ProactiveSends> _logger;

    // The week each user's claim was last seen for, with its next reminder: a claim never goes away and only its holder
    // moves the next reminder, so while the week is the same and no reminder is due the claim need not be read again.
    private readonly ConcurrentDictionary<UserKey, (string Week, DateTimeOffset? NextReminderAt)> _claimed = new();

    /// <summary>Creates the use case.</summary>
    /// <param name="settings">The users' settings (digest day, time, zone, budget).</param>
    /// <param name="claims">The weekly digest claims.</param>
    /// <param name="nudges">The planned and sent reminders.</param>
    /// <param name="network">The tab's use cases: the summary the digest carries, the tie a reminder is about.</param>
    /// <param name="channels">The digest channels; tried in <see cref="ProactiveChannel"/> order (Teams first).</param>
    /// <param name="reminders">The reminder channel (Teams), or null when there is none.</param>
    /// <param name="options">Quiet hours and the on switch.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">The log.</param>
    public ProactiveSends(
        ISettingsStore settings,
        IDigestClaimStore claims,
        INudgeStore nudges,
        NetworkService network,
        IEnumerable<IDigestChannel> channels,
        IReminderChannel? reminders,
        ProactiveOptions options,
        TimeProvider time,
        ILogger<ProactiveSends> logger)
    {
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(options);
        _settings = settings;
        _claims = claims;
        _nudges = nudges;
        _network = network;
        _channels = [.. channels.OrderBy(c => c.Channel)];
        _reminders = reminders;
        _quiet = options.ToQuietHours();
        _enabled = options.Enabled;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step for one user. The caller holds the user's lease (the sync job does).</summary>
    /// <param name="me">The user, as enrolled; nothing happens unless <see cref="ConsentState.Active"/>.</param>
    /// <param name="mailboxTimeZone">The mailbox's time zone as the sync last read it, or null.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    /// <returns>What was done.</returns>
    public async Task<ProactiveReport> RunAsync(EnrolledUser me, string? mailboxTimeZone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!_enabled || me.Consent != ConsentState.Active)
        {
            return ProactiveReport.None;
        }

        var now = _time.GetUtcNow();
        var settings = await _settings.GetSettingsAsync(me.User, cancellationToken).ConfigureAwait(false);
        var zone = ProactiveSchedule.ResolveZone(settings.TimeZone, mailboxTimeZone, me.TimeZone);
        if (_quiet.IsQuiet(ProactiveSchedule.ToLocal(now, zone)))
        {
            return ProactiveReport.None with { Quiet = true };
        }

        var slot = ProactiveSchedule.ActiveSlot(now, zone, settings.DigestDay, settings.EffectiveDigestTime, _quiet);
        if (slot is null)
        {
            return ProactiveReport.None;
        }

        if (_claimed.TryGetValue(me.User, out var seen) && seen.Week == slot.Week && (seen.NextReminderAt is null || seen.NextReminderAt > now))
        {
            return ProactiveReport.None;
        }

        DeliveryOutcome? digest = null;
        var claim = await _claims.GetAsync(me.User, slot.Week, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            if (now - slot.DueAt > ProactiveSchedule.DigestLateness)
            {
                // Too late for this week's digest (enrolled since, or the host was down): the next one comes on time.
                return ProactiveReport.None;
            }

            (claim, digest) = await SendDigestAsync(me, slot, zone, now, cancellationToken).ConfigureAwait(false);
            if (claim is null)
            {
                return ProactiveReport.None;
            }
        }

        if (claim.NextReminderAt is not { } next || next > now)
        {
            _claimed[me.User] = (claim.Week, claim.NextReminderAt);
            return new ProactiveReport(digest, 0, 0);
        }

        var (sent, dropped, nextReminder) = await RemindAsync(me, claim, settings, zone, now, cancellationToken).ConfigureAwait(false);
        _claimed[me.User] = (claim.Week, nextReminder);
        return new ProactiveReport(digest, sent, dropped);
    }

    private async Task<(DigestClaim? Claim, DeliveryOutcome? Outcome)> SendDigestAsync(EnrolledUser me, DigestSlot slot, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summary = await _network.GetSummaryAsync(me, cancellationToken).ConfigureAwait(false);
        var who = UserPseudonym.Of(me.User);
        if (summary.Sync != SyncState.Ready)
        {
            // Nothing to tell before the first scoring; the next sync looks again.
            Log.NotScoredYet(_logger, who);
            return (null, null);
        }

        var claim = new DigestClaim(slot.Week, now);
        if (!await _claims.TryClaimAsync(me.User, claim, cancellationToken).ConfigureAwait(false))
        {
            Log.AlreadyClaimed(_logger, who, slot.Week);
            return (null, null);
        }

        // From here on the week is taken: whatever happens, this week's digest is not sent again.
        var message = new DigestMessage(me.User, slot.Week, summary, summary.Suggestions);
        var outcome = DeliveryOutcome.NoRoute;
        ProactiveChannel? channel = null;
        foreach (var candidate in _channels)
        {
            var result = await TryAsync(() => candidate.SendDigestAsync(message, cancellationToken), candidate.Channel, cancellationToken).ConfigureAwait(false);
            if (result == DeliveryOutcome.Sent)
            {
                (outcome, channel) = (DeliveryOutcome.Sent, candidate.Channel);
                break;
            }

            // Keep the most telling reason: a failure over a block over no route.
            outcome = (DeliveryOutcome)Math.Max((int)outcome, (int)result);
        }

        DateTimeOffset? nextReminder = null;
        if (outcome == DeliveryOutcome.Sent)
        {
            Log.DigestSent(_logger, who, slot.Week, channel!.Value);
            nextReminder = await PlanRemindersAsync(me.User, slot, summary.Suggestions, zone, now, cancellationToken).ConfigureAwait(false);
        }
        else if (outcome == DeliveryOutcome.NoRoute)
        {
            Log.DigestNoRoute(_logger, who, slot.Week);
        }
        else
        {
            Log.DigestNotSent(_logger, who, slot.Week, outcome);
        }

        claim = claim with { Outcome = outcome, Channel = channel, NextReminderAt = nextReminder };
        await _claims.UpdateAsync(me.User, claim, cancellationToken).ConfigureAwait(false);
        return (claim, outcome);
    }

    /// <summary>Stores the week's reminders (the suggestions after the digest's day) and forgets those of earlier weeks.</summary>
    /// <returns>When the first one falls due, or null when there is none.</returns>
    private async Task<DateTimeOffset?> PlanRemindersAsync(UserKey user, DigestSlot slot, IReadOnlyList<Suggestion> suggestions, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var digestDay = DateOnly.FromDateTime(ProactiveSchedule.ToLocal(slot.DueAt, zone));
        var planned = new List<Nudge>();
        foreach (var s in suggestions)
        {
            var at = ProactiveSchedule.ReminderAt(slot, s.Day, zone, _quiet);
            if (DateOnly.FromDateTime(ProactiveSchedule.ToLocal(at, zone)) <= digestDay || at >= slot.NextDueAt)
            {
                // The digest itself carries it today (or its day is gone).
                continue;
            }

            planned.Add(new Nudge(NudgeId(slot.Week, s.Contact), s.Contact, KindOf(s.Kind, s.Route), at, null, NudgeStatus.Planned));
        }

        var stale = new List<string>();
        await foreach (var old in _nudges.ReadAsync(user, cancellationToken).ConfigureAwait(false))
        {
            if (!old.Id.StartsWith(slot.Week + "|", StringComparison.Ordinal) && old.PlannedFor < now.AddDays(-28))
            {
                stale.Add(old.Id);
            }
        }

        foreach (var id in stale)
        {
            await _nudges.RemoveAsync(user, id, cancellationToken).ConfigureAwait(false);
        }

        if (planned.Count > 0)
        {
            await _nudges.UpsertAsync(user, planned, cancellationToken).ConfigureAwait(false);
        }

        return planned.Count == 0 ? null : planned.Min(n => n.PlannedFor);
    }

    private async Task<(int Sent, int Dropped, DateTimeOffset? Next)> RemindAsync(EnrolledUser me, DigestClaim claim, UserSettings settings, TimeZoneInfo zone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var who = UserPseudonym.Of(me.User);
        var week = new List<Nudge>();
        await foreach (var n in _nudges.ReadAsync(me.User, cancellationToken).ConfigureAwait(false))
        {
            if (n.Id.StartsWith(claim.Week + "|", StringComparison.Ordinal))
            {
                week.Add(n);
            }
        }

        var today = DateOnly.FromDateTime(ProactiveSchedule.ToLocal(now, zone));
        var sentThisWeek = week.Count(n => n.Status == NudgeStatus.Sent);
        var sentToday = week.Any(n => n.SentAt is { } at && DateOnly.FromDateTime(ProactiveSchedule.ToLocal(at, zone)) == today);
        DateTimeOffset? next = null;
        int sent = 0, dropped = 0;
        var noRoute = false;
        foreach (var n in week.Where(n => n.Status == NudgeStatus.Planned).OrderBy(n => n.PlannedFor).ThenBy(n => n.Id, StringComparer.Ordinal))
        {
            if (n.PlannedFor > now)
            {
                next = Min(next, n.PlannedFor);
                continue;
            }

            if (noRoute)
            {
                await MarkAsync(me.User, n, NudgeStatus.Failed, null, cancellationToken).ConfigureAwait(false);
                dropped++;
                continue;
            }

            var tie = (await _network.GetTieByAddressAsync(me, n.Contact, cancellationToken).ConfigureAwait(false))?.Summary;
            var decision = ProactiveSchedule.Decide(n.PlannedFor, claim.ClaimedAt, tie, now, sentThisWeek, settings.WeeklyNudgeBudget, sentToday);
            switch (decision)
            {
                case ReminderDecision.Wait:
                    next = Min(next, ProactiveSchedule.NextDayReminderAt(now, zone, _quiet));
                    continue;
                case ReminderDecision.Send when _reminders is not null && ParseKind(n.Kind) is { } kr:
                    {
                        var suggestion = new Suggestion(tie!.Id, tie.Contact, tie.DisplayName, kr.Kind, kr.Route, NetworkService.RouteText(kr.Route, kr.Kind), DateOnly.FromDateTime(ProactiveSchedule.ToLocal(n.PlannedFor, zone)), tie.Why);
                        var reminders = _reminders;
                        var outcome = await TryAsync(() => reminders.SendReminderAsync(new ReminderMessage(me.User, claim.Week, suggestion), cancellationToken), ProactiveChannel.Teams, cancellationToken).ConfigureAwait(false);
                        if (outcome == DeliveryOutcome.Sent)
                        {
                            await MarkAsync(me.User, n, NudgeStatus.Sent, now, cancellationToken).ConfigureAwait(false);
                            (sent, sentThisWeek, sentToday) = (sent + 1, sentThisWeek + 1, true);
                            Log.ReminderSent(_logger, who, claim.Week);
                        }
                        else
                        {
                            // Never retried: a failure may have been delivered (never twice), and no route stays no route this week.
                            await MarkAsync(me.User, n, NudgeStatus.Failed, null, cancellationToken).ConfigureAwait(false);
                            dropped++;
                            noRoute = outcome is DeliveryOutcome.NoRoute or DeliveryOutcome.Blocked;
                            Log.ReminderNotSent(_logger, who, claim.Week, outcome);
                        }

                        continue;
                    }

                default:
                    await MarkAsync(me.User, n, NudgeStatus.Cancelled, null, cancellationToken).ConfigureAwait(false);
                    dropped++;
                    Log.ReminderDropped(_logger, who, claim.Week, decision);
                    continue;
            }
        }

        if (next != claim.NextReminderAt)
        {
            await _claims.UpdateAsync(me.User, claim with { NextReminderAt = next }, cancellationToken).ConfigureAwait(false);
        }

        return (sent, dropped, next);
    }

    private Task MarkAsync(UserKey user, Nudge nudge, NudgeStatus status, DateTimeOffset? sentAt, CancellationToken cancellationToken) =>
        _nudges.UpsertAsync(user, [nudge with { Status = status, SentAt = sentAt }], cancellationToken);

    /// <summary>A channel's answer; an exception from it counts as a failure (logged), so one bad channel stops nothing.</summary>
    private async Task<DeliveryOutcome> TryAsync(Func<Task<DeliveryOutcome>> send, ProactiveChannel channel, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ChannelThrew(_logger, channel, ex.GetType());
            return DeliveryOutcome.Failed;
        }
    }

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x <= b ? x : b;

    /// <summary>The reminder's id: its week and contact (the store keys it by a keyed hash).</summary>
    internal static string NudgeId(string week, string contact) => week + "|" + contact;

    private static string KindOf(NudgeKind kind, NudgeRoute route) => string.Create(CultureInfo.InvariantCulture, $"{kind}/{route}");

    private static (NudgeKind Kind, NudgeRoute Route)? ParseKind(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2 && Enum.TryParse<NudgeKind>(parts[0], out var kind) && Enum.TryParse<NudgeRoute>(parts[1], out var route) ? (kind, route) : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Digest of {User} for {Week} sent through {Channel}")]
        public static partial void DigestSent(ILogger logger, string user, string week, ProactiveChannel channel);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Digest of {User} for {Week} not sent: no channel can reach the user; not retried this week")]
        public static partial void DigestNoRoute(ILogger logger, string user, string week);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Digest of {User} for {Week} not sent ({Outcome}); not retried this week")]
        public static partial void DigestNotSent(ILogger logger, string user, string week, DeliveryOutcome outcome);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "Digest of {User} for {Week} already claimed; nothing sent")]
        public static partial void AlreadyClaimed(ILogger logger, string user, string week);

        [LoggerMessage(EventId = 7105, Level = LogLevel.Debug, Message = "Digest of {User} waits for the first scoring")]
        public static partial void NotScoredYet(ILogger logger, string user);

        [LoggerMessage(EventId = 7106, Level = LogLevel.Information, Message = "Reminder of {User} for {Week} sent")]
        public static partial void ReminderSent(ILogger logger, string user, string week);

        [LoggerMessage(EventId = 7107, Level = LogLevel.Debug, Message = "Reminder of {User} for {Week} dropped ({Decision}; Send here means no reminder channel)")]
        public static partial void ReminderDropped(ILogger logger, string user, string week, ReminderDecision decision);

        [LoggerMessage(EventId = 7108, Level = LogLevel.Debug, Message = "Reminder of {User} for {Week} not sent ({Outcome}); the week's other reminders are dropped if there is no route")]
        public static partial void ReminderNotSent(ILogger logger, string user, string week, DeliveryOutcome outcome);

        [LoggerMessage(EventId = 7109, Level = LogLevel.Warning, Message = "The {Channel} channel threw ({Error}); counted as a failed send")]
        public static partial void ChannelThrew(ILogger logger, ProactiveChannel channel, Type error);
    }
}
