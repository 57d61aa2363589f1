using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using ContactOverride = TiesOffice.Application.Ports.ContactOverride;

namespace TiesOffice.Application.Network;

/// <summary>A request that cannot be carried out as asked; nothing was written. Hosts map it to 400.</summary>
/// <param name="field">The field at fault.</param>
/// <param name="message">What is wrong, in words the user can act on.</param>
public sealed class NetworkRequestException(string field, string message) : Exception(message)
{
    /// <summary>The field at fault.</summary>
    public string Field { get; } = field;
}

/// <summary>
/// The use cases of one signed-in person over their own network: summary, ties, one tie, overrides, settings,
/// "if I changed roles", reach, export and erase. Every method takes the caller's enrolment, whose
/// <see cref="EnrolledUser.User"/> comes from the token, and reads or writes only that user's partition. The tab
/// API, the bot and the Outlook pane call these; they hold no HTTP or channel concerns.
/// </summary>
public sealed partial class NetworkService(
    NetworkViews views,
    ISettingsStore settings,
    ITierHistoryStore history,
    ISyncStateStore syncState,
    IMailboxStore items,
    IJobQueue jobs,
    IPrivacyOperations privacy,
    IUserDirectory directory,
    TimeProvider time,
    ILogger<NetworkService> logger,
    ITieStore? savedTies = null,
    IGraphSubscriptions? subscriptions = null,
    IDirectoryDepartments? departments = null)
{
    /// <summary>The exact text the user types to erase everything.</summary>
    public const string EraseConfirmation = "delete my data";

    /// <summary>The most entries an exclusion list holds.</summary>
    public const int MaxExclusions = 500;

    /// <summary>The longest private note.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>The most ties one page holds.</summary>
    public const int MaxPageSize = 200;

    /// <summary>Weeks on the tie timeline: a year and a week, so the same week a year ago shows.</summary>
    public const int TimelineWeeks = 53;

    /// <summary>The installed user behind a token's (tid, oid), or null when the user never installed the app or erased it.</summary>
    /// <param name="user">The (tenant, object id) from the token.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The enrolment, or null.</returns>
    public async Task<EnrolledUser?> FindInstalledAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var enrolled = await directory.GetAsync(user, cancellationToken).ConfigureAwait(false);
        return enrolled is null || enrolled.Consent == ConsentState.Erased ? null : enrolled;
    }

    /// <summary>The overview: counts per tier, the last 12 months, and this week's suggestions.</summary>
    public async Task<NetworkSummary> GetSummaryAsync(EnrolledUser me, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var userSettings = await settings.GetSettingsAsync(me.User, cancellationToken).ConfigureAwait(false);
        var status = (await syncState.ReadAsync(me.User, cancellationToken).ConfigureAwait(false)).Status;
        var months = await history.ReadAsync(me.User, cancellationToken).ConfigureAwait(false);

        var counts = new int[4];
        foreach (var tie in view.Ties)
        {
            counts[(int)tie.Tier]++;
        }

        var tiers = new TierCounts(counts[(int)TieTier.Strong], counts[(int)TieTier.Weak], counts[(int)TieTier.Dormant], counts[(int)TieTier.Pseudo]);
        var first = view.AsOf.UtcDateTime.AddMonths(-11).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var recent = months.Where(m => string.CompareOrdinal(m.Month, first) >= 0).ToList();

        var state = me.Consent == ConsentState.NeedsConsent ? SyncState.NeedsConsent
            : view.Ledger is not null ? SyncState.Ready
            : status?.LastSyncAt is null ? SyncState.NotStarted
            : SyncState.Syncing;
        var domainOverrides = view.Overrides.Values.Select(TieScoring.ToDomain);
        var nudges = NudgePolicy.Plan(view.Ties, domainOverrides, view.AsOf, userSettings.WeeklyNudgeBudget);
        var suggestions = nudges.Select(n =>
        {
            var index = view.IndexOfContact(n.Contact);
            return new Suggestion(view.Ids[index], n.Contact, view.NameOf(n.Contact), n.Kind, n.Route, RouteText(n.Route, n.Kind), n.Day, n.Why.ToSentence());
        }).ToList();
        return new NetworkSummary(me.DisplayName, me.MailAddress, state, status?.LastSyncAt, tiers, recent, suggestions);
    }

    /// <summary>The sentence that tells the user how to act on a suggestion.</summary>
    /// <param name="route">The route.</param>
    /// <param name="kind">The suggestion's kind.</param>
    /// <returns>The sentence.</returns>
    public static string RouteText(NudgeRoute route, NudgeKind kind) => (route, kind) switch
    {
        (NudgeRoute.AnotherRoute, _) => "They left your last two messages unanswered: try another way (a call, a meeting, a shared contact).",
        (NudgeRoute.ProposeOneToOne, _) => "Propose a 1:1.",
        (_, NudgeKind.ReplyOwed) => "They are waiting for your reply.",
        (_, NudgeKind.ReactivateDormant) => "Write to them: share something useful or ask how they are.",
        _ => "Write to them.",
    };

    /// <summary>One page of ties, filtered, searched and sorted.</summary>
    /// <exception cref="NetworkRequestException">Bad paging or filters.</exception>
    public async Task<TiePage> ListTiesAsync(EnrolledUser me, TieQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxPageSize)
        {
            throw new NetworkRequestException("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        if (query.Text is { Length: > 200 })
        {
            throw new NetworkRequestException("q", "The search text is limited to 200 characters.");
        }

        var queryHash = QueryHash(query);
        SortKey? after = query.Continuation is null ? null : ParseContinuation(query.Continuation, queryHash);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);

        var text = query.Text?.Trim();
        var matches = new List<(SortKey Key, int Index)>();
        for (var i = 0; i < view.Ties.Count; i++)
        {
            var tie = view.Ties[i];
            if ((query.Tiers.Count > 0 && !query.Tiers.Contains(tie.Tier))
                || (query.Portability is { } p && tie.Portability.Class != p)
                || (query.Trend is { } t && tie.Trend != t)
                || (query.Scope is { } s && view.ScopeOf(tie.Contact) != s)
                || (!string.IsNullOrEmpty(text) && !tie.Contact.Contains(text, StringComparison.OrdinalIgnoreCase)
                    && view.NameOf(tie.Contact)?.Contains(text, StringComparison.CurrentCultureIgnoreCase) != true))
            {
                continue;
            }

            matches.Add((KeyOf(tie, query.Sort, view), i));
        }

        matches.Sort((a, b) => a.Key.CompareTo(b.Key));
        var start = 0;
        if (after is { } key)
        {
            // Keyset paging: the first item strictly after the last one returned, wherever the list has moved since.
            start = matches.FindIndex(m => m.Key.CompareTo(key) > 0);
            if (start < 0)
            {
                start = matches.Count;
            }
        }

        var page = matches.Skip(start).Take(query.Limit).ToList();
        var next = start + page.Count < matches.Count && page.Count > 0 ? FormatContinuation(page[^1].Key, queryHash) : null;
        return new TiePage(page.Select(m => view.Summary(m.Index)).ToList(), next, matches.Count);
    }

    /// <summary>One tie in full, or null when the id is not one of the user's ties.</summary>
    public async Task<TieDetail?> GetTieAsync(EnrolledUser me, string tieId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var index = view.IndexOfId(tieId ?? string.Empty);
        return index < 0 ? null : Detail(view, index);
    }

    /// <summary>The tie with a contact, or null (the Outlook pane looks ties up by address).</summary>
    public async Task<TieDetail?> GetTieByAddressAsync(EnrolledUser me, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var index = view.IndexOfContact(address ?? string.Empty);
        return index < 0 ? null : Detail(view, index);
    }

    /// <summary>
    /// What the Outlook pane shows for a message's sender: the tie, a first contact (no tie yet), the user themself,
    /// or not tracked (the address or its domain is on the user's exclusion list, so nothing about it is looked up).
    /// </summary>
    /// <exception cref="NetworkRequestException">The address is not a mail address; nothing was read.</exception>
    public async Task<SenderLookup> LookUpSenderAsync(EnrolledUser me, string? address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var a = address?.Trim() ?? string.Empty;
        var at = a.IndexOf('@', StringComparison.Ordinal);
        if (a.Length is 0 or > 320 || at <= 0 || at != a.LastIndexOf('@') || at == a.Length - 1
            || a.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new NetworkRequestException("address", "address must be one mail address, such as name@example.com.");
        }

        var s = await settings.GetSettingsAsync(me.User, cancellationToken).ConfigureAwait(false);
        if (views.ExclusionsOf(s).Matches(a))
        {
            return new SenderLookup(SenderLookupOutcome.NotTracked, null);
        }

        if (string.Equals(MailAddress.Normalize(a), MailAddress.Normalize(me.MailAddress), StringComparison.Ordinal))
        {
            return new SenderLookup(SenderLookupOutcome.Self, null);
        }

        var tie = await GetTieByAddressAsync(me, a, cancellationToken).ConfigureAwait(false);
        return tie is null ? new SenderLookup(SenderLookupOutcome.FirstContact, null) : new SenderLookup(SenderLookupOutcome.Tie, tie);
    }

    private static TieDetail Detail(NetworkView view, int index)
    {
        var tie = view.Ties[index];
        var r = tie.Reciprocity;
        var timeline = view.Book is { } book
            ? book.Timeline(tie.Contact, view.AsOf, TimelineWeeks)
            : PresenceTimeline(view.Ledger!, tie.Contact, view.AsOf);
        view.Overrides.TryGetValue(tie.Contact, out var o);
        TieTier? manual = o?.ManualTier is { } m && Enum.TryParse<TieTier>(m, ignoreCase: true, out var parsed) ? parsed : null;
        return new TieDetail(
            view.Summary(index),
            timeline,
            new AttentionView(r.Sent, r.Received, r.TheirReplyRate, r.OwnerReplyRate, r.TheirReplyTime?.TotalHours, r.OwnerReplyTime?.TotalHours,
                r.OwnerInitiationShare, r.InvitationsAccepted, r.Owed, r.UnansweredInARow),
            tie.Rhythm?.TotalDays,
            new WhyParts(tie.Why.Reason, tie.Why.TwoWayWeeksLastYear, tie.Why.ActiveWeeks26, tie.Why.DaysSinceLast, tie.Why.RhythmDays),
            new OverridesView(manual, o?.PositionBased, o?.Muted ?? false, o?.SnoozedUntil, o?.CadenceDays, o?.Note));
    }

    // A ledger saved before the contact book (the next scoring rebuilds it with counts): active weeks count as one.
    private static List<TimelineCount> PresenceTimeline(TieLedger ledger, string contact, DateTimeOffset asOf) =>
        ledger.Timeline(contact, asOf, TimelineWeeks).Select(w => new TimelineCount(w.WeekStart, w.Sent ? 1 : 0, w.Received ? 1 : 0)).ToList();

    /// <summary>Changes a tie's overrides and returns the tie re-scored with them, or null when the id is not the user's.</summary>
    /// <exception cref="NetworkRequestException">A value out of range; nothing was written.</exception>
    public async Task<TieDetail?> ChangeOverridesAsync(EnrolledUser me, string tieId, OverrideChange change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(change);
        var now = time.GetUtcNow();
        if (change.SnoozedUntil is { HasValue: true, Value: var until } && until <= now)
        {
            throw new NetworkRequestException("snoozedUntil", "snoozedUntil must be in the future.");
        }

        if (change.CadenceDays is { HasValue: true, Value: var cadence } && (cadence < 1 || cadence > 3650 || double.IsNaN(cadence)))
        {
            throw new NetworkRequestException("cadenceDays", "cadenceDays must be between 1 and 3650.");
        }

        if (change.Note is { HasValue: true, Value: { } note } && note.Length > MaxNoteLength)
        {
            throw new NetworkRequestException("note", $"The note is limited to {MaxNoteLength} characters.");
        }

        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var index = view.IndexOfId(tieId ?? string.Empty);
        if (index < 0)
        {
            return null;
        }

        var contact = view.Ties[index].Contact;
        var current = view.Overrides.GetValueOrDefault(contact) ?? new ContactOverride(contact);
        var next = current with
        {
            ManualTier = change.Tier is { } tier ? (tier.HasValue ? tier.Value.ToString().ToLowerInvariant() : null) : current.ManualTier,
            PositionBased = change.PositionBased is { } pb ? (pb.HasValue ? pb.Value : null) : current.PositionBased,
            Muted = change.Muted ?? current.Muted,
            SnoozedUntil = change.SnoozedUntil is { } s ? (s.HasValue ? s.Value : null) : current.SnoozedUntil,
            CadenceDays = change.CadenceDays is { } c ? (c.HasValue ? c.Value : null) : current.CadenceDays,
            Note = change.Note is { } n ? (n.HasValue ? n.Value : null) : current.Note,
        };
        if (next == new ContactOverride(contact))
        {
            await settings.RemoveOverrideAsync(me.User, contact, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await settings.SaveOverrideAsync(me.User, next, cancellationToken).ConfigureAwait(false);
        }

        Log.OverridesChanged(logger);
        return await RefreshSavedTieAsync(me, tieId!, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes every override of a tie (the note too) and returns it re-scored, or null when the id is not the user's.</summary>
    public async Task<TieDetail?> ClearOverridesAsync(EnrolledUser me, string tieId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var index = view.IndexOfId(tieId ?? string.Empty);
        if (index < 0)
        {
            return null;
        }

        await settings.RemoveOverrideAsync(me.User, view.Ties[index].Contact, cancellationToken).ConfigureAwait(false);
        return await RefreshSavedTieAsync(me, tieId!, cancellationToken).ConfigureAwait(false);
    }

    // Overrides win everywhere at once: the views re-score on the next read, and the saved tie row (which export, the
    // demo's printout and any reader of saved ties see) is rewritten now from the re-scored view, not at the next sync.
    private async Task<TieDetail?> RefreshSavedTieAsync(EnrolledUser me, string tieId, CancellationToken cancellationToken)
    {
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var index = view.IndexOfId(tieId);
        if (index < 0)
        {
            return null;
        }

        if (savedTies is not null)
        {
            var tie = view.Ties[index];
            await savedTies.UpsertAsync(me.User, TieScoring.ToSnapshot(tie, view.AsOf, view.NameOf(tie.Contact)), cancellationToken).ConfigureAwait(false);
        }

        return Detail(view, index);
    }

    /// <summary>The user's settings.</summary>
    public async Task<SettingsView> GetSettingsAsync(EnrolledUser me, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var s = await settings.GetSettingsAsync(me.User, cancellationToken).ConfigureAwait(false);
        return new SettingsView(s.DigestDay, s.EffectiveDigestTime, s.WeeklyNudgeBudget, s.TimeZone, s.ExcludedEntries);
    }

    /// <summary>
    /// Replaces the user's settings. Newly excluded addresses and domains have every stored item they take part in
    /// removed, and a re-score is queued so the saved ties and ledger forget them too; the views leave them out at once.
    /// </summary>
    /// <exception cref="NetworkRequestException">A value out of range; nothing was written.</exception>
    public async Task<SettingsView> SaveSettingsAsync(EnrolledUser me, SettingsView wanted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        ArgumentNullException.ThrowIfNull(wanted);
        if (wanted.WeeklyBudget is < 0 or > 20)
        {
            throw new NetworkRequestException("weeklyBudget", "weeklyBudget must be between 0 and 20.");
        }

        if (wanted.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw new NetworkRequestException("timeZone", "timeZone must be an IANA or Windows time zone id, such as Europe/Paris.");
        }

        if (wanted.Exclusions.Count > MaxExclusions)
        {
            throw new NetworkRequestException("exclusions", $"At most {MaxExclusions} exclusions.");
        }

        var exclusions = new List<string>();
        foreach (var entry in wanted.Exclusions)
        {
            var e = (entry ?? string.Empty).Trim().ToLowerInvariant();
            if (!IsValidExclusion(e))
            {
                throw new NetworkRequestException("exclusions", "Each exclusion must be a mail address (name@example.com) or a domain (example.com).");
            }

            if (!exclusions.Contains(e))
            {
                exclusions.Add(e);
            }
        }

        var before = await settings.GetSettingsAsync(me.User, cancellationToken).ConfigureAwait(false);
        var saved = await settings.UpdateSettingsAsync(
            me.User,
            current => current with
            {
                DigestDay = wanted.DigestDay,
                DigestTime = wanted.DigestTime,
                WeeklyNudgeBudget = wanted.WeeklyBudget,
                TimeZone = wanted.TimeZone,
                Exclusions = exclusions,
            },
            cancellationToken).ConfigureAwait(false);

        var added = exclusions.Except(before.ExcludedEntries, StringComparer.Ordinal).ToList();
        if (added.Count > 0)
        {
            var removed = await RemoveExcludedItemsAsync(me.User, new Exclusions(added), cancellationToken).ConfigureAwait(false);
            Log.ExcludedItemsRemoved(logger, removed);
            var now = time.GetUtcNow();
            await jobs.EnqueueAsync(new SyncJob(me.User.TenantId, me.User.UserId, "exclusions", now, "exclusions:" + Guid.NewGuid().ToString("N")), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new SettingsView(saved.DigestDay, saved.EffectiveDigestTime, saved.WeeklyNudgeBudget, saved.TimeZone, saved.ExcludedEntries);
    }

    /// <summary>Removes every stored item in which an excluded address takes part.</summary>
    /// <returns>How many items were removed.</returns>
    public async Task<int> RemoveExcludedItemsAsync(UserKey user, Exclusions excluded, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(excluded);
        var doomed = new List<string>();
        await foreach (var m in items.ReadMessagesAsync(user, cancellationToken).ConfigureAwait(false))
        {
            if (excluded.Matches(m.From ?? string.Empty) || m.To.Any(excluded.Matches) || m.Cc.Any(excluded.Matches) || m.Bcc.Any(excluded.Matches))
            {
                doomed.Add(m.Id);
            }
        }

        await foreach (var m in items.ReadMeetingsAsync(user, cancellationToken).ConfigureAwait(false))
        {
            if (excluded.Matches(m.Organizer ?? string.Empty) || m.Attendees.Any(a => excluded.Matches(a.Address)))
            {
                doomed.Add(m.Id);
            }
        }

        if (doomed.Count > 0)
        {
            await items.RemoveAsync(user, doomed, cancellationToken).ConfigureAwait(false);
        }

        return doomed.Count;
    }

    private static bool IsValidExclusion(string e)
    {
        if (e.Length is 0 or > 320 || e.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or '?' or '#'))
        {
            return false;
        }

        var at = e.IndexOf('@', StringComparison.Ordinal);
        var domain = at < 0 ? e : e[(at + 1)..];
        return (at != 0) && at == e.LastIndexOf('@') && domain.Contains('.', StringComparison.Ordinal) && !domain.StartsWith('.') && !domain.EndsWith('.');
    }

    /// <summary>Which strong and weak ties would survive a change of role.</summary>
    public async Task<RoleChangeView> GetRoleChangeAsync(EnrolledUser me, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        List<TieSummary> survive = [], go = [], unknown = [];
        for (var i = 0; i < view.Ties.Count; i++)
        {
            var tie = view.Ties[i];
            if (tie.Tier is not (TieTier.Strong or TieTier.Weak))
            {
                continue;
            }

            (tie.Portability.Class switch
            {
                PortabilityClass.Personal or PortabilityClass.Mixed => survive,
                PortabilityClass.PositionBased => go,
                _ => unknown,
            }).Add(view.Summary(i));
        }

        return new RoleChangeView(survive, go, unknown);
    }

    /// <summary>
    /// How far the strong and weak ties reach: each department of the user's own organisation (from the directory,
    /// where it gives the contact one), the rest of the user's own domain, each external domain, and the only bridges.
    /// </summary>
    public async Task<ReachView> GetReachAsync(EnrolledUser me, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var view = await views.GetAsync(me.User, me.MailAddress, cancellationToken).ConfigureAwait(false);
        var directory = departments is null
            ? new Dictionary<string, string>()
            : await departments.GetAsync(me.User.TenantId, cancellationToken).ConfigureAwait(false);
        var groups = new Dictionary<(string Kind, string Name), (int Strong, int Weak, int Last)>();
        for (var i = 0; i < view.Ties.Count; i++)
        {
            var tie = view.Ties[i];
            if (tie.Tier is not (TieTier.Strong or TieTier.Weak))
            {
                continue;
            }

            // Departments exist only inside the organisation: an external contact's department is never known.
            var scope = view.ScopeOf(tie.Contact);
            var key = scope == TieScope.Internal
                ? directory.TryGetValue(tie.Contact, out var department) ? ("department", department) : ("domain", view.OwnerDomain)
                : ("domain", Exclusions.DomainOf(tie.Contact));
            var g = groups.GetValueOrDefault(key);
            groups[key] = tie.Tier == TieTier.Strong ? (g.Strong + 1, g.Weak, i) : (g.Strong, g.Weak + 1, i);
        }

        var result = groups
            .Select(kv => new ReachGroup(kv.Key.Name, kv.Key.Kind, kv.Key.Kind == "department" || kv.Key.Name == view.OwnerDomain, kv.Value.Strong, kv.Value.Weak,
                kv.Value.Strong + kv.Value.Weak == 1 ? view.Summary(kv.Value.Last) : null))
            .OrderByDescending(g => g.Strong + g.Weak)
            .ThenBy(g => g.Kind, StringComparer.Ordinal)
            .ThenBy(g => g.Name, StringComparer.Ordinal)
            .ToList();
        return new ReachView(view.OwnerDomain, result);
    }

    /// <summary>Everything stored about the user, as one JSON document.</summary>
    public async Task<string> ExportAsync(EnrolledUser me, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        var export = await privacy.ExportAsync(me.User, cancellationToken).ConfigureAwait(false);
        return export.ToJson();
    }

    /// <summary>Erases everything of the user after the typed confirmation; the user must install again to come back.</summary>
    /// <exception cref="NetworkRequestException">The confirmation is not <see cref="EraseConfirmation"/>; nothing was erased.</exception>
    public async Task EraseAsync(EnrolledUser me, string? confirmation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(me);
        if (!string.Equals(confirmation, EraseConfirmation, StringComparison.Ordinal))
        {
            throw new NetworkRequestException("confirm", $"Type \"{EraseConfirmation}\" to confirm.");
        }

        var result = await privacy.EraseAsync(me.User, cancellationToken).ConfigureAwait(false);
        views.Forget(me.User);
        if (subscriptions is not null)
        {
            foreach (var id in result.SubscriptionIds)
            {
                try
                {
                    await subscriptions.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is Sync.GraphUnavailableException or Sync.MailboxAccessDeniedException or HttpRequestException)
                {
                    // The record is gone; Graph lets an orphaned subscription expire within days.
                    Log.SubscriptionNotDeleted(logger, e.GetType().Name);
                }
            }
        }

        Log.Erased(logger, result.TotalRows);
    }

    // ---- paging ----

    private readonly record struct SortKey(double Primary, string Secondary, string Contact) : IComparable<SortKey>
    {
        public int CompareTo(SortKey other)
        {
            var c = Primary.CompareTo(other.Primary);
            if (c == 0)
            {
                c = string.CompareOrdinal(Secondary, other.Secondary);
            }

            return c != 0 ? c : string.CompareOrdinal(Contact, other.Contact);
        }
    }

    private static SortKey KeyOf(Tie tie, TieSort sort, NetworkView view) => sort switch
    {
        TieSort.LastContact => new SortKey(TieScoring.ShownLastContact(tie, view.AsOf) is { } last ? -last.ToUnixTimeSeconds() : double.MaxValue, string.Empty, tie.Contact),
        TieSort.Name => new SortKey(0, (view.NameOf(tie.Contact) ?? tie.Contact).ToLowerInvariant(), tie.Contact),
        _ => new SortKey(-tie.Score, string.Empty, tie.Contact),
    };

    private static string QueryHash(TieQuery q)
    {
        var text = string.Join('|', string.Join(',', q.Tiers.Order()), q.Portability, q.Trend, q.Scope, q.Text?.Trim().ToLowerInvariant(), q.Sort);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..6]);
    }

    private static string FormatContinuation(SortKey key, string queryHash)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new[] { queryHash, key.Primary.ToString("R", CultureInfo.InvariantCulture), key.Secondary, key.Contact });
        return Base64Url.EncodeToString(json);
    }

    private static SortKey ParseContinuation(string token, string queryHash)
    {
        const string Bad = "The continuation token is not valid for this query: start again without it.";
        try
        {
            if (token.Length > 2048)
            {
                throw new NetworkRequestException("continuation", Bad);
            }

            var parts = JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(token));
            if (parts is not { Length: 4 } || parts[0] != queryHash || parts[2] is null || parts[3] is null
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var primary))
            {
                throw new NetworkRequestException("continuation", Bad);
            }

            return new SortKey(primary, parts[2], parts[3]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new NetworkRequestException("continuation", Bad);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "A user changed a tie's overrides")]
        public static partial void OverridesChanged(ILogger logger);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Exclusions saved; {Count} stored items removed")]
        public static partial void ExcludedItemsRemoved(ILogger logger, int count);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "A user erased their data ({Rows} rows)")]
        public static partial void Erased(ILogger logger, int rows);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "A Graph subscription of an erased user could not be deleted ({Error})")]
        public static partial void SubscriptionNotDeleted(ILogger logger, string error);
    }
}
