using Microsoft.Extensions.Logging;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;
using DomainOverride = TiesOffice.Domain.Ties.ContactOverride;

namespace TiesOffice.Application.Scoring;

/// <summary>The outcome of re-scoring one user.</summary>
/// <param name="User">Who.</param>
/// <param name="Ties">How many ties were scored and saved.</param>
/// <param name="ItemsAdded">Items newly added to the ledger in this run.</param>
/// <param name="Rebuilt">Whether the ledger was rebuilt from the stored items (first run, removals, or a stale ledger).</param>
/// <param name="PerTier">Tie counts per tier.</param>
public sealed record RescoreResult(UserKey User, int Ties, int ItemsAdded, bool Rebuilt, IReadOnlyDictionary<TieTier, int> PerTier);

/// <summary>
/// Keeps a user's tie ledger current and their scored ties saved: applies what a sync stored (or rebuilds the ledger
/// from the stored items when it must), saves the ledger, scores it as of now with the user's overrides, and
/// replaces the user's saved ties (rows that did not change are not rewritten).
/// </summary>
/// <remarks>
/// A sync that stored nothing needs no re-score for new items, only for decay, and scores move slowly: such a sync
/// re-scores at most once per <see cref="DecayRescoreInterval"/> (<see cref="IsDue"/>). Whoever changes what a score
/// depends on besides the items (a contact override, say) re-scores the user itself with <see cref="RescoreSavedAsync"/>.
/// </remarks>
public sealed partial class TieScoring(
    IMailboxStore items,
    IEngineStateStore ledgers,
    ISyncStateStore state,
    ITieStore ties,
    ISettingsStore settings,
    TimeProvider time,
    ILogger<TieScoring> logger,
    ITierHistoryStore? history = null)
{
    private const int MaxSaveAttempts = 3;

    /// <summary>How often a user whose syncs bring nothing new is re-scored for decay: once a day.</summary>
    public static readonly TimeSpan DecayRescoreInterval = TimeSpan.FromDays(1);

    /// <summary>
    /// Whether a run's changes call for a re-score: it stored or removed something, the ledger was stale, the ties were
    /// never scored, or they were last scored <see cref="DecayRescoreInterval"/> ago or more.
    /// </summary>
    /// <param name="changes">What the run stored, with the ledger's status as it began.</param>
    /// <returns>True when <see cref="RescoreAsync"/> should run.</returns>
    public bool IsDue(MailboxChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return !changes.IsEmpty
            || changes.StartedWith.Stale
            || changes.StartedWith.ScoredAt is not { } scoredAt
            || time.GetUtcNow() - scoredAt >= DecayRescoreInterval;
    }

    /// <summary>Updates the ledger with a run's changes (or rebuilds it), saves it, and re-scores the user.</summary>
    /// <param name="user">The user.</param>
    /// <param name="ownerAddress">The user's own address (the ledger's owner).</param>
    /// <param name="changes">What the sync stored in this run; null re-scores without new items.</param>
    /// <param name="cancellationToken">Cancels the work; the stale flag then stays set, so nothing is lost.</param>
    /// <returns>What was done.</returns>
    public async Task<RescoreResult> RescoreAsync(UserKey user, string ownerAddress, MailboxChanges? changes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerAddress);
        var owner = MailAddress.Normalize(ownerAddress);
        var who = UserRef(user);
        for (var attempt = 1; ; attempt++)
        {
            var (ledger, book, version, added, rebuilt, items) = await LoadAndApplyAsync(user, owner, changes, cancellationToken).ConfigureAwait(false);
            book.Prune(time.GetUtcNow());
            var saved = await ledgers.TryWriteAsync(user, EngineBlob.Write(ledger, book), version, cancellationToken).ConfigureAwait(false);
            if (saved is null)
            {
                // Another worker saved the ledger in between; reload and apply again (Add is idempotent by item id).
                Log.LedgerConflict(logger, who, attempt);
                if (attempt >= MaxSaveAttempts)
                {
                    throw new InvalidOperationException($"The tie ledger of {UserRef(user)} changed under {MaxSaveAttempts} consecutive saves.");
                }

                continue;
            }

            var now = time.GetUtcNow();
            if (items is { } all && history is not null)
            {
                // A rebuild has every item in memory: back-fill the past months' tier counts from it (docs/Api.md).
                await history.SaveAsync(user, PastMonths(owner, all.Messages, all.Meetings, now), cancellationToken).ConfigureAwait(false);
            }

            var scored = await ScoreAndSaveAsync(user, ledger, book, now, cancellationToken).ConfigureAwait(false);

            // Only now is the ledger current and the ties saved from it: clear the stale mark and record the time.
            await state.SetLedgerScoredAsync(user, now, cancellationToken).ConfigureAwait(false);
            var perTier = scored.GroupBy(t => t.Tier).ToDictionary(g => g.Key, g => g.Count());
            Log.Rescored(logger, who, scored.Count, added, rebuilt);
            return new RescoreResult(user, scored.Count, added, rebuilt, perTier);
        }
    }

    /// <summary>Scores a saved ledger again as of now (scores decay with time) without reading any item.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The ties scored, or null when the user has no saved ledger yet.</returns>
    public async Task<IReadOnlyList<Tie>?> RescoreSavedAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var saved = await ledgers.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            return null;
        }

        // An unreadable ledger (another format version, damaged bytes) is left for the next sync to rebuild.
        var restored = TryRestore(user, saved.Data);
        return restored is not { } r ? null : await ScoreAndSaveAsync(user, r.Ledger, r.Book, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<(TieLedger Ledger, ContactBook Book, string? Version, int Added, bool Rebuilt, (List<MailMessage> Messages, List<Meeting> Meetings)? Items)> LoadAndApplyAsync(
        UserKey user, string owner, MailboxChanges? changes, CancellationToken cancellationToken)
    {
        var saved = await ledgers.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        var stale = changes?.StartedStale
            ?? (await state.ReadAsync(user, cancellationToken).ConfigureAwait(false)).Ledger.Stale;
        var mustRebuild = saved is null || stale || changes is { HasRemovals: true };
        TieLedger? ledger = null;
        ContactBook? book = null;
        (List<MailMessage>, List<Meeting>)? rebuiltFrom = null;
        var added = 0;
        if (!mustRebuild)
        {
            if (TryRestore(user, saved!.Data) is { } restored)
            {
                (ledger, book) = restored;
            }

            // A blob from before the contact book (names, weekly counts) is rebuilt once, so the book covers every item.
            if (ledger is null || book is null || !string.Equals(ledger.Owner, owner, StringComparison.Ordinal))
            {
                mustRebuild = true;
            }
            else if (changes is not null)
            {
                added += LedgerFeed.AddMessages(ledger, book, changes.Messages);

                foreach (var meeting in changes.Meetings)
                {
                    var intake = LedgerFeed.AddMeeting(ledger, book, meeting);
                    if (intake == MeetingIntake.Added)
                    {
                        added++;
                    }
                    else if (intake == MeetingIntake.AlreadySeen)
                    {
                        // A meeting seen before has changed (a response, a cancellation): the ledger only adds, so rebuild.
                        // A new meeting the ledger refuses (cancelled, a series master, declined) changes nothing.
                        mustRebuild = true;
                        break;
                    }
                }
            }
        }

        if (mustRebuild)
        {
            var messages = new List<MailMessage>();
            await foreach (var message in items.ReadMessagesAsync(user, cancellationToken).ConfigureAwait(false))
            {
                messages.Add(message);
            }

            var meetings = new List<Meeting>();
            await foreach (var meeting in items.ReadMeetingsAsync(user, cancellationToken).ConfigureAwait(false))
            {
                meetings.Add(meeting);
            }

            (ledger, book) = LedgerFeed.Build(owner, messages, meetings);
            added = ledger.ItemCount;
            rebuiltFrom = (messages, meetings);
        }

        return (ledger!, book!, saved?.Version, added, mustRebuild, rebuiltFrom);
    }

    // The saved ledger, or null when it cannot be read: written by another format version or model, or damaged. The
    // stored items are the source of truth, so the caller rebuilds from them instead of failing the user's job.
    private (TieLedger Ledger, ContactBook? Book)? TryRestore(UserKey user, ReadOnlyMemory<byte> data)
    {
        try
        {
            return EngineBlob.Read(data);
        }
        catch (ArgumentException e)
        {
            var who = UserRef(user);
            var reason = e.Message;
            Log.LedgerUnreadable(logger, who, reason);
            return null;
        }
    }

    private async Task<IReadOnlyList<Tie>> ScoreAndSaveAsync(UserKey user, TieLedger ledger, ContactBook? book, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var overrides = new List<DomainOverride>();
        await foreach (var o in settings.ReadOverridesAsync(user, cancellationToken).ConfigureAwait(false))
        {
            overrides.Add(ToDomain(o));
        }

        var scored = ledger.Score(now, overrides);
        var snapshots = scored.Select(t => ToSnapshot(t, now, book?.NameOf(t.Contact))).ToList();
        await ties.ReplaceAsync(user, snapshots, cancellationToken).ConfigureAwait(false);
        if (history is not null)
        {
            // The current month's snapshot: the last scoring in a month stands for that month.
            await history.SaveAsync(user, [Counts(now, scored)], cancellationToken).ConfigureAwait(false);
        }

        return scored;
    }

    /// <summary>
    /// The tier counts at the end of each of the 11 months before <paramref name="now"/>'s month, from one pass that
    /// feeds the items in time order and scores at each month's end (feeding only earlier items is exact, see
    /// <see cref="TieLedger"/>). Months before the first item are left out.
    /// </summary>
    /// <param name="owner">The mailbox owner.</param>
    /// <param name="messages">Every stored message.</param>
    /// <param name="meetings">Every stored meeting.</param>
    /// <param name="now">Now.</param>
    /// <returns>The months, oldest first.</returns>
    public static IReadOnlyList<MonthlyTierCounts> PastMonths(string owner, IReadOnlyList<MailMessage> messages, IReadOnlyList<Meeting> meetings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(meetings);
        var ledger = new TieLedger(owner);
        var sortedMessages = messages.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
        var sortedMeetings = meetings.OrderBy(m => m.Start).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
        int nextMessage = 0, nextMeeting = 0;
        var thisMonth = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var result = new List<MonthlyTierCounts>();
        for (var back = 11; back >= 1; back--)
        {
            var end = thisMonth.AddMonths(-back + 1);
            var from = nextMessage;
            while (nextMessage < sortedMessages.Length && sortedMessages[nextMessage].SentAt < end)
            {
                nextMessage++;
            }

            ledger.AddRange(sortedMessages[from..nextMessage]);
            while (nextMeeting < sortedMeetings.Length && sortedMeetings[nextMeeting].Start < end)
            {
                ledger.Add(sortedMeetings[nextMeeting++]);
            }

            if (ledger.ItemCount > 0)
            {
                result.Add(Counts(end.AddSeconds(-1), ledger.Score(end)));
            }
        }

        return result;
    }

    private static MonthlyTierCounts Counts(DateTimeOffset at, IReadOnlyList<Tie> scored)
    {
        var counts = new int[4];
        foreach (var tie in scored)
        {
            counts[(int)tie.Tier]++;
        }

        return new MonthlyTierCounts(
            at.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
            counts[(int)TieTier.Strong],
            counts[(int)TieTier.Weak],
            counts[(int)TieTier.Dormant],
            counts[(int)TieTier.Pseudo]);
    }

    /// <summary>Maps a stored override to the engine's.</summary>
    /// <param name="stored">The stored override.</param>
    /// <returns>The engine's override.</returns>
    public static DomainOverride ToDomain(Ports.ContactOverride stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        TieTier? tier = Enum.TryParse<TieTier>(stored.ManualTier, ignoreCase: true, out var parsed) ? parsed : null;
        return new DomainOverride(
            MailAddress.Normalize(stored.Contact),
            tier,
            stored.Muted,
            stored.SnoozedUntil,
            stored.CadenceDays is { } days ? TimeSpan.FromDays(days) : null,
            stored.PositionBased);
    }

    /// <summary>Maps a scored tie to the stored snapshot the tab and the bot read.</summary>
    /// <param name="tie">The scored tie.</param>
    /// <param name="scoredAt">When it was scored.</param>
    /// <param name="displayName">The contact's display name, when known.</param>
    /// <returns>The snapshot.</returns>
    public static TieSnapshot ToSnapshot(Tie tie, DateTimeOffset scoredAt, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(tie);
        return new TieSnapshot(
            tie.Contact,
            displayName,
            tie.Tier.ToString().ToLowerInvariant(),
            tie.Score,
            tie.Reciprocity.Balance,
            tie.Portability.PersonalShare,
            ShownLastContact(tie, scoredAt),
            tie.Rhythm?.TotalDays,
            TrendValue(tie.Trend),
            tie.Why.ToSentence(),
            scoredAt);
    }

    /// <summary>
    /// The last contact as shown beside the why: never after the as-of instant. The calendar holds meetings still to
    /// come, and the engine measures "days since" from as-of, not below 0 (the why then says "today"); a shown date
    /// in the future would contradict it.
    /// </summary>
    /// <param name="tie">The scored tie.</param>
    /// <param name="asOf">The instant it was scored at.</param>
    /// <returns>The last contact, at most <paramref name="asOf"/>; null when there was none.</returns>
    public static DateTimeOffset? ShownLastContact(Tie tie, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(tie);
        return tie.LastContact is { } last && last > asOf ? asOf : tie.LastContact;
    }

    /// <summary>The trend as a number: +1 rising, 0 steady, -1 cooling, -2 silent.</summary>
    /// <param name="trend">The trend.</param>
    /// <returns>The number stored with the tie.</returns>
    public static double TrendValue(TieTrend trend) => trend switch
    {
        TieTrend.Rising => 1,
        TieTrend.Steady => 0,
        TieTrend.Cooling => -1,
        _ => -2,
    };

    private static string UserRef(UserKey user) => UserPseudonym.Of(user);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Re-scored user {User}: {Ties} ties, {Added} items added, rebuilt {Rebuilt}")]
        public static partial void Rescored(ILogger logger, string user, int ties, int added, bool rebuilt);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Tie ledger of user {User} changed during save (attempt {Attempt}); retrying")]
        public static partial void LedgerConflict(ILogger logger, string user, int attempt);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Saved tie ledger of user {User} is unreadable ({Reason}); rebuilding it from the stored items")]
        public static partial void LedgerUnreadable(ILogger logger, string user, string reason);
    }
}
