using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Sync;

/// <summary>
/// Syncs one user's mailbox metadata from Graph: each configured mail folder and the calendar window, as
/// independent delta streams run side by side, plus the mailbox time zone.
/// </summary>
/// <remarks>
/// Crash safety: every page's items are stored (idempotently, keyed by item id) before the link that follows the
/// page is saved, and the in-progress nextLink is saved too, so a process killed at any point resumes where it left
/// off and a replayed page changes nothing. An expired token (410 / syncStateNotFound) restarts the stream's round
/// from scratch; the full round merges by id and, once complete, removes stored items of the stream it no longer
/// returned. A 401/403 stops only this user's sync and marks the user as needing consent in the user directory (the
/// one notion of consent; a user it does not hold as active is not synced).
/// The calendar stream's saved state is <c>{windowStart}|{windowEnd}|{link}</c>, so a new window is detected.
/// An idle sync writes nothing: a link that comes back unchanged is not saved again, and a status that did not change
/// is saved again only after <see cref="StatusRefresh"/>.
/// </remarks>
public sealed partial class MailboxSync
{
    /// <summary>The state-store stream name of the calendar.</summary>
    public const string CalendarStream = "calendarView";

    /// <summary>How long a status that did not change (only its <see cref="UserSyncStatus.LastSyncAt"/> would) goes unsaved.</summary>
    public static readonly TimeSpan StatusRefresh = TimeSpan.FromDays(1);

    private readonly IMailboxGraph _graph;
    private readonly IMailboxStore _store;
    private readonly ISyncStateStore _state;
    private readonly IUserDirectory _directory;
    private readonly MailboxSyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MailboxSync> _logger;

    /// <summary>Creates the use case.</summary>
    public MailboxSync(
        IMailboxGraph graph, IMailboxStore store, ISyncStateStore state, IUserDirectory directory,
        IOptions<MailboxSyncOptions> options, TimeProvider time, ILogger<MailboxSync> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _graph = graph;
        _store = store;
        _state = state;
        _directory = directory;
        _options = options.Value;
        _options.Validate();
        _time = time;
        _logger = logger;
    }

    /// <summary>The state-store stream name of a mail folder.</summary>
    /// <param name="folder">The folder name or id.</param>
    /// <returns>The stream name.</returns>
    public static string FolderStream(string folder) => "mail:" + (folder ?? string.Empty).ToLowerInvariant();

    /// <summary>Runs one sync of the user's mailbox, if the user directory holds the user as active.</summary>
    /// <param name="user">The user.</param>
    /// <param name="cancellationToken">Stops the sync; whatever was stored stays consistent with the saved links.</param>
    /// <returns>What happened.</returns>
    public async Task<MailboxSyncResult> SyncAsync(UserKey user, CancellationToken cancellationToken = default)
    {
        var enrolled = await _directory.GetAsync(user, cancellationToken).ConfigureAwait(false);
        if (enrolled is not { Consent: ConsentState.Active })
        {
            Log.SkippedNotActive(_logger, UserPseudonym.Of(user));
            return new MailboxSyncResult(user, SyncOutcome.Skipped, [], 0);
        }

        var saved = await _state.ReadAsync(user, cancellationToken).ConfigureAwait(false);
        return await SyncAsync(enrolled, saved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one sync of the user's mailbox from a directory record and sync state the caller has just read.</summary>
    /// <param name="enrolled">The user's directory record; a user who is not active is skipped.</param>
    /// <param name="saved">The user's sync state (links and status), read once by the caller.</param>
    /// <param name="cancellationToken">Stops the sync; whatever was stored stays consistent with the saved links.</param>
    /// <returns>What happened.</returns>
    public async Task<MailboxSyncResult> SyncAsync(EnrolledUser enrolled, UserSyncState saved, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrolled);
        ArgumentNullException.ThrowIfNull(saved);
        var user = enrolled.User;
        var who = UserPseudonym.Of(user);
        if (enrolled.Consent != ConsentState.Active)
        {
            Log.SkippedNotActive(_logger, who);
            return new MailboxSyncResult(user, SyncOutcome.Skipped, [], 0);
        }

        var status = saved.Status ?? new UserSyncStatus(null, null, null, null);

        using var userCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ct = userCts.Token;
        var tasks = new List<Task<StreamSyncResult>>();
        foreach (var folder in _options.Folders.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var kind = folder.ToLowerInvariant() switch
            {
                "inbox" => MailFolder.Inbox,
                "sentitems" => MailFolder.SentItems,
                _ => MailFolder.Other,
            };
            tasks.Add(GuardAsync(() => SyncFolderAsync(user, who, folder, kind, saved.DeltaLink(FolderStream(folder)), ct), FolderStream(folder), userCts, who));
        }

        if (_options.IncludeCalendar)
        {
            tasks.Add(GuardAsync(() => SyncCalendarAsync(user, who, saved.DeltaLink(CalendarStream), ct), CalendarStream, userCts, who));
        }

        var now = _time.GetUtcNow();
        var timeZoneRequests = 0;
        string? timeZone = status.TimeZone;
        DateTimeOffset? checkedAt = status.TimeZoneCheckedAt;
        var denied = false;
        if (status.TimeZoneCheckedAt is null || now - status.TimeZoneCheckedAt >= _options.TimeZoneRefresh)
        {
            try
            {
                timeZoneRequests = 1;
                timeZone = await WithRetriesAsync(() => _graph.GetTimeZoneAsync(user, ct), who, "mailboxSettings", ct).ConfigureAwait(false);
                checkedAt = now;
            }
            catch (MailboxAccessDeniedException e)
            {
                denied = true;
                Log.AccessDenied(_logger, who, e.StatusCode);
                await userCts.CancelAsync().ConfigureAwait(false);
            }
            catch (GraphUnavailableException e)
            {
                Log.TimeZoneUnavailable(_logger, who, e.Reason);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A stream was denied and cancelled the rest of this user's sync; handled below.
            }
        }

        StreamSyncResult[] streams;
        try
        {
            streams = await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested
            && (denied || tasks.Any(t => t.IsFaulted && t.Exception?.InnerException is MailboxAccessDeniedException)))
        {
            // One stream (or the time-zone read) was denied and cancelled its siblings.
            denied = true;
            streams = tasks.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToArray();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (denied || tasks.Any(t => t.IsFaulted && t.Exception?.InnerException is MailboxAccessDeniedException))
        {
            // Graph refused the mailbox (401/403): the directory stops this user's syncs until they consent again.
            await _directory.SetConsentAsync(user, ConsentState.NeedsConsent, CancellationToken.None).ConfigureAwait(false);
            await _state.SetStatusAsync(user, status with { LastSyncAt = now, LastOutcome = SyncOutcome.NeedsConsent }, CancellationToken.None).ConfigureAwait(false);
            return new MailboxSyncResult(user, SyncOutcome.NeedsConsent, streams, streams.Sum(s => s.Requests) + timeZoneRequests);
        }

        var outcome = streams.All(s => s.Completed) ? SyncOutcome.Completed : SyncOutcome.Partial;
        var finished = _time.GetUtcNow();
        var next = new UserSyncStatus(timeZone, checkedAt, finished, outcome);
        if (saved.Status is not { LastSyncAt: { } last } previous
            || previous with { LastSyncAt = null } != next with { LastSyncAt = null }
            || finished - last >= StatusRefresh)
        {
            await _state.SetStatusAsync(user, next, cancellationToken).ConfigureAwait(false);
        }

        var result = new MailboxSyncResult(user, outcome, streams, streams.Sum(s => s.Requests) + timeZoneRequests);
        Log.Synced(_logger, who, outcome, result.Requests, result.Upserted);
        return result;
    }

    private async Task<StreamSyncResult> GuardAsync(Func<Task<StreamSyncResult>> run, string stream, CancellationTokenSource userCts, string who)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (MailboxAccessDeniedException e)
        {
            Log.AccessDenied(_logger, who, e.StatusCode);
            await userCts.CancelAsync().ConfigureAwait(false);
            throw;
        }
        catch (GraphUnavailableException e)
        {
            Log.StreamDeferred(_logger, who, stream, e.Reason);
            return new StreamSyncResult(stream, 0, 0, 0, 0, false, false);
        }
    }

    private async Task<StreamSyncResult> SyncFolderAsync(UserKey user, string who, string folder, MailFolder kind, string? link, CancellationToken ct)
    {
        var stream = FolderStream(folder);
        var counters = new Counters();
        var seen = await RunRoundAsync(
            user, who, stream, link, link, counters,
            (current, token) => _graph.GetMessagesPageAsync(user, folder, kind, current, token),
            (items, token) => _store.UpsertMessagesAsync(user, items, token),
            m => m.Id,
            next => next,
            ct).ConfigureAwait(false);

        if (seen is not null && kind != MailFolder.Other)
        {
            var stale = new List<string>();
            await foreach (var m in _store.ReadMessagesAsync(user, ct).ConfigureAwait(false))
            {
                if (m.Folder == kind && !seen.Contains(m.Id))
                {
                    stale.Add(m.Id);
                }
            }

            if (stale.Count > 0)
            {
                await _store.RemoveAsync(user, stale, ct).ConfigureAwait(false);
                counters.Add(0, stale.Count, 0);
            }
        }

        return counters.Result(stream, completed: true);
    }

    private async Task<StreamSyncResult> SyncCalendarAsync(UserKey user, string who, string? saved, CancellationToken ct)
    {
        var window = _options.WindowAt(_time.GetUtcNow());
        string? link = null;
        if (saved is not null && ParseCalendarState(saved) is { } parsed)
        {
            if (parsed.Window == window)
            {
                link = parsed.Link;
            }
            else
            {
                Log.Rewindow(_logger, who);
            }
        }

        var counters = new Counters();
        var seen = await RunRoundAsync(
            user, who, CalendarStream, link, saved, counters,
            (current, token) => _graph.GetMeetingsPageAsync(user, window, current, token),
            (items, token) => _store.UpsertMeetingsAsync(user, items, token),
            m => m.Id,
            next => FormatCalendarState(window, next),
            ct).ConfigureAwait(false);

        if (seen is not null)
        {
            var stale = new List<string>();
            await foreach (var m in _store.ReadMeetingsAsync(user, ct).ConfigureAwait(false))
            {
                if (window.Overlaps(m.Start, m.End) && !seen.Contains(m.Id))
                {
                    stale.Add(m.Id);
                }
            }

            if (stale.Count > 0)
            {
                await _store.RemoveAsync(user, stale, ct).ConfigureAwait(false);
                counters.Add(0, stale.Count, 0);
            }
        }

        return counters.Result(CalendarStream, completed: true);
    }

    /// <summary>
    /// Follows one stream's delta links to the end of a round: each page's removals and items are stored before the
    /// link that follows the page is saved. An expired token restarts the round from scratch (a full resync).
    /// </summary>
    /// <returns>The ids a full resync returned (to clean up what it no longer returns), or null when no resync ran.</returns>
    private async Task<HashSet<string>?> RunRoundAsync<T>(
        UserKey user,
        string who,
        string stream,
        string? link,
        string? savedState,
        Counters counters,
        Func<string?, CancellationToken, Task<DeltaPage<T>>> fetch,
        Func<IReadOnlyCollection<T>, CancellationToken, Task> upsert,
        Func<T, string> idOf,
        Func<string, string> stateOf,
        CancellationToken ct)
    {
        HashSet<string>? seen = null;
        while (true)
        {
            DeltaPage<T> page;
            try
            {
                var current = link;
                page = await WithRetriesAsync(() => fetch(current, ct), who, stream, ct).ConfigureAwait(false);
                counters.Requests++;
            }
            catch (DeltaTokenExpiredException)
            {
                counters.Requests++;
                if (link is null || ++counters.Resyncs > _options.MaxResyncs)
                {
                    throw new GraphUnavailableException("The delta state keeps expiring.") { Reason = "resync-loop" };
                }

                Log.Resync(_logger, who, stream);
                await _state.SetDeltaLinkAsync(user, stream, null, ct).ConfigureAwait(false);
                savedState = null;
                link = null;
                seen = new HashSet<string>(StringComparer.Ordinal);
                continue;
            }

            var (upserts, removes) = Collapse(page.Items, idOf, page.RemovedIds);
            if (removes.Count > 0)
            {
                await _store.RemoveAsync(user, removes, ct).ConfigureAwait(false);
            }

            if (upserts.Count > 0)
            {
                await upsert(upserts, ct).ConfigureAwait(false);
            }

            seen?.UnionWith(upserts.Select(idOf));
            counters.Add(upserts.Count, removes.Count, page.Skipped);
            if (page.NextLink is null && page.DeltaLink is null)
            {
                throw new GraphUnavailableException("A page had neither a nextLink nor a deltaLink.") { Reason = "malformed" };
            }

            link = page.NextLink ?? page.DeltaLink!;
            var state = stateOf(link);
            if (!string.Equals(state, savedState, StringComparison.Ordinal))
            {
                // An idle round hands back the link it was given: saving it again would change nothing.
                await _state.SetDeltaLinkAsync(user, stream, state, ct).ConfigureAwait(false);
                savedState = state;
            }
            if (page.NextLink is null)
            {
                return seen;
            }
        }
    }

    /// <summary>Retries one Graph call (the same page) while Graph stays unavailable, honouring Retry-After.</summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> call, string who, string stream, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (GraphUnavailableException e) when (attempt < _options.MaxPageAttempts)
            {
                var backoff = TimeSpan.FromTicks(Math.Min(_options.RetryMaxDelay.Ticks, _options.RetryBaseDelay.Ticks * (1L << Math.Min(attempt - 1, 20))));
                var wait = e.RetryAfter is { } ra && ra > backoff ? ra : backoff;
                Log.PageRetry(_logger, who, stream, e.Reason, attempt, (int)wait.TotalMilliseconds);
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Within one page the last mention of an id wins (a replayed item, or an item removed and re-added).</summary>
    private static (List<T> Upserts, List<string> Removes) Collapse<T>(IReadOnlyList<T> items, Func<T, string> id, IReadOnlyList<string> removed)
    {
        var upserts = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            upserts[id(item)] = item;
        }

        var removes = removed.Where(r => !upserts.ContainsKey(r)).Distinct(StringComparer.Ordinal).ToList();
        return (upserts.Values.ToList(), removes);
    }

    private static string FormatCalendarState(CalendarWindow window, string link) =>
        window.Start.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "|" + window.End.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "|" + link;

    private static (CalendarWindow Window, string Link)? ParseCalendarState(string saved)
    {
        var parts = saved.Split('|', 3);
        if (parts.Length == 3
            && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
        {
            return (new CalendarWindow(start, end), parts[2]);
        }

        return null;
    }

    private sealed class Counters
    {
        public int Requests { get; set; }

        public int Resyncs { get; set; }

        private int _upserted;
        private int _removed;
        private int _skipped;

        public void Add(int upserted, int removed, int skipped)
        {
            _upserted += upserted;
            _removed += removed;
            _skipped += skipped;
        }

        public StreamSyncResult Result(string stream, bool completed) =>
            new(stream, Requests, _upserted, _removed, _skipped, Resyncs > 0, completed);
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Mailbox {User} synced: {Outcome}, {Requests} Graph requests, {Upserted} items stored.")]
        public static partial void Synced(ILogger logger, string user, SyncOutcome outcome, int requests, int upserted);

        [LoggerMessage(1002, LogLevel.Warning, "Mailbox {User}: Graph denied access ({Status}); the user's sync stops and needs consent.")]
        public static partial void AccessDenied(ILogger logger, string user, int status);

        [LoggerMessage(1003, LogLevel.Information, "Mailbox {User} is not active in the user directory (not enrolled, erased, or needing consent); sync skipped.")]
        public static partial void SkippedNotActive(ILogger logger, string user);

        [LoggerMessage(1004, LogLevel.Warning, "Mailbox {User} stream {Stream}: the delta token expired; starting a full round.")]
        public static partial void Resync(ILogger logger, string user, string stream);

        [LoggerMessage(1005, LogLevel.Information, "Mailbox {User}: the calendar window moved; starting a new calendar round.")]
        public static partial void Rewindow(ILogger logger, string user);

        [LoggerMessage(1006, LogLevel.Warning, "Mailbox {User} stream {Stream}: Graph unavailable ({Reason}), attempt {Attempt}; retrying the same page in {DelayMs} ms.")]
        public static partial void PageRetry(ILogger logger, string user, string stream, string reason, int attempt, int delayMs);

        [LoggerMessage(1007, LogLevel.Warning, "Mailbox {User} stream {Stream}: deferred ({Reason}); it resumes from its saved link next time.")]
        public static partial void StreamDeferred(ILogger logger, string user, string stream, string reason);

        [LoggerMessage(1008, LogLevel.Warning, "Mailbox {User}: time zone not read ({Reason}).")]
        public static partial void TimeZoneUnavailable(ILogger logger, string user, string reason);
    }
}
