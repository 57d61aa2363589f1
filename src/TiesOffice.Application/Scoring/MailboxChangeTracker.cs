using System.Collections.Concurrent;
using TiesOffice.Application.Ports;
using TiesOffice.Domain.Metadata;

namespace TiesOffice.Application.Scoring;

/// <summary>
/// Wraps the mailbox store so that a sync's writes also reach the tie ledger: while a user's run is open it keeps
/// the items the sync stored, so the ledger is updated with what is new instead of re-reading the mailbox.
/// </summary>
/// <remarks>
/// Crash safety: before the first write of a user's items, the ledger is marked stale (<see cref="LedgerStatus.Stale"/>
/// in the sync state). The mark is cleared only after the updated ledger and the ties are saved. A process killed in between leaves the flag set, and
/// the next run rebuilds the ledger from the stored items, so the ledger never misses a stored item and never counts
/// one twice. Writes made outside an open run (for example by a notification-driven sync) mark the ledger stale too.
/// <para>Exclusions: with a settings store, items in which an address or domain of the user's exclusion list takes
/// part are never stored (docs/Api.md, settings), so an excluded contact is never tracked; so are the
/// <see cref="Network.ServiceAddresses"/> (the app's own service mailbox), for every user.</para>
/// </remarks>
public sealed class MailboxChangeTracker(IMailboxStore inner, ISyncStateStore state, ISettingsStore? settings = null, Network.ServiceAddresses? service = null) : IMailboxStore
{
    private readonly ConcurrentDictionary<UserKey, MailboxChanges> _open = new();

    /// <summary>Opens a run for the user: from now on the user's writes are recorded in the returned change set.</summary>
    /// <param name="user">The user whose sync is starting.</param>
    /// <param name="ledger">The ledger's status as the run began (stale: an earlier run was cut short).</param>
    /// <returns>The change set the run fills.</returns>
    public MailboxChanges Open(UserKey user, LedgerStatus ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var changes = new MailboxChanges(ledger);
        _open[user] = changes;
        return changes;
    }

    /// <summary>Closes the user's run; later writes are no longer recorded (they mark the ledger stale).</summary>
    /// <param name="user">The user.</param>
    public void Close(UserKey user) => _open.TryRemove(user, out _);

    /// <inheritdoc />
    public async Task UpsertMessagesAsync(UserKey user, IReadOnlyCollection<MailMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count > 0 && await ExclusionsAsync(user, cancellationToken).ConfigureAwait(false) is { } excluded)
        {
            messages = messages.Where(m => !(excluded.Matches(m.From ?? string.Empty) || m.To.Any(excluded.Matches) || m.Cc.Any(excluded.Matches) || m.Bcc.Any(excluded.Matches))).ToList();
        }

        if (messages.Count == 0)
        {
            return;
        }

        var changes = await MarkStaleAsync(user, cancellationToken).ConfigureAwait(false);
        await inner.UpsertMessagesAsync(user, messages, cancellationToken).ConfigureAwait(false);
        changes?.AddMessages(messages);
    }

    /// <inheritdoc />
    public async Task UpsertMeetingsAsync(UserKey user, IReadOnlyCollection<Meeting> meetings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meetings);
        if (meetings.Count > 0 && await ExclusionsAsync(user, cancellationToken).ConfigureAwait(false) is { } excluded)
        {
            meetings = meetings.Where(m => !(excluded.Matches(m.Organizer ?? string.Empty) || m.Attendees.Any(a => excluded.Matches(a.Address)))).ToList();
        }

        if (meetings.Count == 0)
        {
            return;
        }

        var changes = await MarkStaleAsync(user, cancellationToken).ConfigureAwait(false);
        await inner.UpsertMeetingsAsync(user, meetings, cancellationToken).ConfigureAwait(false);
        changes?.AddMeetings(meetings);
    }

    /// <inheritdoc />
    public async Task RemoveAsync(UserKey user, IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        if (itemIds.Count == 0)
        {
            return;
        }

        var changes = await MarkStaleAsync(user, cancellationToken).ConfigureAwait(false);
        await inner.RemoveAsync(user, itemIds, cancellationToken).ConfigureAwait(false);
        changes?.MarkRemovals();
    }

    /// <inheritdoc />
    public IAsyncEnumerable<MailMessage> ReadMessagesAsync(UserKey user, CancellationToken cancellationToken = default) =>
        inner.ReadMessagesAsync(user, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<Meeting> ReadMeetingsAsync(UserKey user, CancellationToken cancellationToken = default) =>
        inner.ReadMeetingsAsync(user, cancellationToken);

    private async Task<Network.Exclusions?> ExclusionsAsync(UserKey user, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return null;
        }

        var entries = (await settings.GetSettingsAsync(user, cancellationToken).ConfigureAwait(false)).ExcludedEntries;
        var always = service?.Entries ?? [];
        return entries.Count == 0 && always.Count == 0 ? null : new Network.Exclusions([.. entries, .. always]);
    }

    private async Task<MailboxChanges?> MarkStaleAsync(UserKey user, CancellationToken cancellationToken)
    {
        _open.TryGetValue(user, out var changes);
        if (changes is null || changes.TryMarkStale())
        {
            await state.MarkLedgerStaleAsync(user, cancellationToken).ConfigureAwait(false);
        }

        return changes;
    }
}

/// <summary>What one user's sync run stored: the new items, and whether anything was removed.</summary>
public sealed class MailboxChanges(LedgerStatus startedWith)
{
    private readonly Lock _gate = new();
    private readonly List<MailMessage> _messages = [];
    private readonly List<Meeting> _meetings = [];
    private bool _stale;

    /// <summary>Whether the saved ledger was already stale when the run began; it is then rebuilt from the stored items.</summary>
    public bool StartedStale => StartedWith.Stale;

    /// <summary>The ledger's status as the run began.</summary>
    public LedgerStatus StartedWith { get; } = startedWith ?? throw new ArgumentNullException(nameof(startedWith));

    /// <summary>Whether the run stored or removed anything (if not, and the ledger was not stale, the ledger is current).</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count == 0 && _meetings.Count == 0 && !HasRemovals;
            }
        }
    }

    /// <summary>Whether the run removed items (the ledger is then rebuilt, since it only ever adds).</summary>
    public bool HasRemovals { get; private set; }

    /// <summary>The messages stored during the run.</summary>
    public IReadOnlyList<MailMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>The meetings stored during the run.</summary>
    public IReadOnlyList<Meeting> Meetings
    {
        get
        {
            lock (_gate)
            {
                return [.. _meetings];
            }
        }
    }

    internal bool TryMarkStale()
    {
        lock (_gate)
        {
            var first = !_stale;
            _stale = true;
            return first;
        }
    }

    internal void AddMessages(IEnumerable<MailMessage> messages)
    {
        lock (_gate)
        {
            _messages.AddRange(messages);
        }
    }

    internal void AddMeetings(IEnumerable<Meeting> meetings)
    {
        lock (_gate)
        {
            _meetings.AddRange(meetings);
        }
    }

    internal void MarkRemovals()
    {
        lock (_gate)
        {
            HasRemovals = true;
        }
    }
}
