using TiesOffice.Domain.Metadata;

namespace TiesOffice.Domain.Ties;

/// <summary>
/// One owner's relationship state: a compact, incremental aggregate of every mail message and meeting fed to it,
/// from which all ties can be scored as of any date without the items themselves.
/// </summary>
/// <remarks>
/// <para><b>Feeding.</b> <see cref="Add(MailMessage)"/> and <see cref="Add(Meeting)"/> take items in any order and are
/// idempotent by item id (a 64-bit hash of each id is kept). Items outside the owner's mailbox and drafts are ignored.
/// The cost of feeding grows with the new items only; the aggregate holds per contact a fixed set of numbers plus a
/// bitmap of active weeks, per thread two numbers, and per item an 8-byte id hash. A contact known only from
/// co-presence (co-recipients, broadcasts, large meetings: the "context rather than relationship") is kept in a
/// record of five numbers until its first direct exchange, since all-company mail makes most contacts of that kind.</para>
/// <para><b>Order.</b> Decayed volumes, counts, last times, week sets and therefore scores and tiers do not depend on
/// the order of feeding (up to floating-point rounding). Reply matching (reply rates and reply times) pairs each
/// message with the latest earlier message of its thread seen so far, so it is exact when items arrive in time order,
/// as a sync delivers them; <see cref="Build"/> sorts first.</para>
/// <para><b>Removal.</b> The aggregate cannot subtract an item (decayed sums and week sets are not invertible for
/// deletions); when items are removed or changed, rebuild it with <see cref="Build"/> from the stored items.</para>
/// <para><b>As of.</b> <see cref="Score"/> reflects every item fed; for an exact view as of an earlier date, feed only
/// the items before it.</para>
/// <para>Instances are not thread-safe.</para>
/// </remarks>
public sealed partial class TieLedger
{
    private const long ReplyWindowSeconds = (long)(TieModel.ReplyWindowDays * TieModel.SecondsPerDay);
    private const int OwnerId = -1;

    // Up to this many recipients, duplicates are found by searching the ids so far; above it, by marks.
    private const int LinearDedupLimit = 32;

    private static readonly long _earliest = TieModel.EarliestSupported.ToUnixTimeSeconds();
    private static readonly long _latest = TieModel.LatestSupported.ToUnixTimeSeconds();

    // Contacts with a direct exchange have ids from 0 up, indexing _names and _contacts. Contacts known only from
    // co-presence have negative ids ~i, indexing _coNames and _co; the first direct exchange moves one into
    // _contacts (see Direct) and leaves a null name and an empty record behind, so other ids never change.
    private readonly AddressTable _ids = new();
    private readonly List<string> _names = [];
    private readonly List<string?> _coNames = [];
    private CoPresentContact[] _co = new CoPresentContact[16];
    private int _coCount;
    private readonly KeyMap<ThreadState> _threads = new();
    private readonly ItemIdSet _seen = new();

    // Per-message scratch: the normalised recipients other than the owner and the sender as read (To, Cc, Bcc in
    // that order), then their contact ids without repeats. Reused, so feeding allocates nothing per message.
    private string[] _scanned = new string[8];
    private int[] _scannedHash = new int[8];
    private bool[] _scannedCc = new bool[8];
    private int _scannedCount;
    private int[] _recipients = new int[8];
    private bool[] _recipientCc = new bool[8];
    private int _recipientCount;
    private ContactAggregate[] _contacts = new ContactAggregate[16];

    // Large messages' recipients are deduplicated by marking each contact with the message's number (0 = never).
    private int[] _dedupMarks = [];
    private int[] _coDedupMarks = [];
    private int _dedupMark;
    private long _latestItemAt = long.MinValue;
    private long _anchor = long.MinValue;

    /// <summary>Creates an empty ledger for one mailbox.</summary>
    /// <param name="owner">The mailbox owner's address (or, for a pseudonymised log, their person id).</param>
    /// <exception cref="ArgumentException">The owner is neither a mail address nor a person id (see <see cref="MailAddress.IsPersonKey"/>).</exception>
    public TieLedger(string owner)
    {
        var normalized = MailAddress.Normalize(owner);
        if (!MailAddress.IsPersonKey(normalized))
        {
            throw new ArgumentException($"'{owner}' is neither a mail address nor a person id.", nameof(owner));
        }

        Owner = normalized;
    }

    /// <summary>The owner's normalised address.</summary>
    public string Owner { get; }

    /// <summary>How many distinct items (messages and meetings) have been taken in.</summary>
    public int ItemCount => _seen.Count;

    /// <summary>How many contacts the aggregate holds.</summary>
    public int ContactCount => _names.Count + _coCount;

    /// <summary>How many of the contacts are known only from co-presence (never a direct exchange or small meeting).</summary>
    public int CoPresentContactCount => _coCount;

    /// <summary>The time of the latest item taken in, or null when empty.</summary>
    public DateTimeOffset? LatestItemAt =>
        _latestItemAt == long.MinValue ? null : DateTimeOffset.FromUnixTimeSeconds(_latestItemAt);

    /// <summary>The contacts the aggregate holds: those with a direct exchange in the order of their first one, then
    /// those known only from co-presence in the order they were first seen (a fresh list).</summary>
    public IReadOnlyList<string> Contacts => [.. _names, .. CoPresentNames()];

    private IEnumerable<string> CoPresentNames()
    {
        foreach (var name in _coNames)
        {
            if (name is not null)
            {
                yield return name;
            }
        }
    }

    /// <summary>Builds a ledger in one batch: items are sorted by time (then id) and fed in that order.</summary>
    /// <param name="owner">The mailbox owner.</param>
    /// <param name="messages">Mail messages; those outside the owner's mailbox are ignored.</param>
    /// <param name="meetings">Meetings; may be null.</param>
    /// <returns>The ledger.</returns>
    public static TieLedger Build(string owner, IEnumerable<MailMessage> messages, IEnumerable<Meeting>? meetings = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var ledger = new TieLedger(owner);
        ledger.AddRange(messages.OrderBy(m => m.SentAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray());

        if (meetings is not null)
        {
            foreach (var meeting in meetings.OrderBy(m => m.Start).ThenBy(m => m.Id, StringComparer.Ordinal))
            {
                ledger.Add(meeting);
            }
        }

        return ledger;
    }

    /// <summary>Feeds many messages, exactly as <see cref="Add(MailMessage)"/> one by one would; a list is fed faster (the next
    /// message's strings are fetched while one is applied), so batch and sync paths pass lists.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>How many were taken in (new, in the mailbox, not drafts).</returns>
    public int AddRange(IEnumerable<MailMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var taken = 0;
        if (messages is IReadOnlyList<MailMessage> list)
        {
            // Pipelined across messages: the next message's strings are requested while this one is applied, so
            // their cache misses overlap the work instead of starting it.
            if (list.Count > 0)
            {
                PrefetchStrings(list[0]);
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (i + 1 < list.Count)
                {
                    PrefetchStrings(list[i + 1]);
                }

                taken += AddMessage(list[i]) ? 1 : 0;
            }

            return taken;
        }

        foreach (var message in messages)
        {
            taken += Add(message) ? 1 : 0;
        }

        return taken;
    }

    /// <summary>Feeds one mail message.</summary>
    /// <param name="message">The message.</param>
    /// <returns>True when it was taken in; false for a duplicate id, a draft, or a message outside the mailbox.</returns>
    /// <exception cref="ArgumentOutOfRangeException">It was sent before 1970 or after 2199.</exception>
    public bool Add(MailMessage message)
    {
        // The strings a message points to are scattered over the heap (a reader shares address and subject strings
        // between messages); all are requested at once here, so their misses overlap instead of coming one by one.
        // AddRange requests them one message ahead instead.
        PrefetchStrings(message);
        return AddMessage(message);
    }

    private bool AddMessage(MailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IsDraft)
        {
            return false;
        }

        var t = message.SentAt.ToUnixTimeSeconds();
        if (t < _earliest || t >= _latest)
        {
            throw new ArgumentOutOfRangeException(nameof(message), message.SentAt, "Items must fall between 1970 and 2199.");
        }

        // The id set's slot is requested first and checked last: the pure work in between (the owner check, the
        // thread key) overlaps the likely cache miss instead of waiting for it.
        var item = ThreadKeys.OfItem(0, message.Id);
        _seen.Prefetch(item);
        var from = Normalize(message.From);
        var outgoing = string.Equals(from, Owner, StringComparison.Ordinal);
        var fromHash = 0;
        if (!outgoing)
        {
            fromHash = AddressTable.Hash(from);
            _ids.Prefetch(fromHash);
        }

        // One pass over the recipients normalises each address once, finds the owner among them and keeps the others
        // for later; contacts are created only once the message is known to be taken.
        var owner = ScanRecipients(message, exclude: outgoing ? null : from);
        if (!outgoing && owner == OwnerPlace.Absent)
        {
            return false;
        }

        var ownerCc = owner == OwnerPlace.CcOnly;

        var thread = ThreadKeys.Of(message.ConversationId, message.Subject);
        if (thread != 0)
        {
            _threads.Prefetch(thread);
        }

        if (!_seen.Add(item))
        {
            return false;
        }

        _latestItemAt = Math.Max(_latestItemAt, t);
        if (outgoing)
        {
            AddOutgoing(t, thread);
        }
        else
        {
            AddIncoming(from, fromHash, t, ownerCc, thread);
        }

        return true;
    }

    /// <summary>Feeds one meeting (an occurrence, for recurring meetings).</summary>
    /// <param name="meeting">The meeting.</param>
    /// <returns>True when it was taken in; false for a duplicate id, a cancelled meeting, or one the owner is not in or declined.</returns>
    /// <exception cref="ArgumentOutOfRangeException">It starts before 1970 or after 2199.</exception>
    public bool Add(Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);
        if (meeting.IsCancelled || meeting.Kind == MeetingKind.SeriesMaster)
        {
            return false;
        }

        var t = meeting.Start.ToUnixTimeSeconds();
        if (t < _earliest || t >= _latest)
        {
            throw new ArgumentOutOfRangeException(nameof(meeting), meeting.Start, "Items must fall between 1970 and 2199.");
        }

        var organizer = MailAddress.Normalize(meeting.Organizer);
        var ownerOrganizes = string.Equals(organizer, Owner, StringComparison.Ordinal);
        var people = new Dictionary<string, AttendeeResponse>(StringComparer.Ordinal);
        if (MailAddress.IsPlausible(organizer))
        {
            people[organizer] = AttendeeResponse.Organizer;
        }

        foreach (var attendee in meeting.Attendees)
        {
            var address = MailAddress.Normalize(attendee.Address);
            if (attendee.Type != AttendeeType.Resource && MailAddress.IsPlausible(address))
            {
                people.TryAdd(address, attendee.Response);
            }
        }

        if (!people.TryGetValue(Owner, out var ownerResponse) || ownerResponse == AttendeeResponse.Declined)
        {
            return false;
        }

        if (!_seen.Add(ThreadKeys.OfItem(1, meeting.Id)))
        {
            return false;
        }

        _latestItemAt = Math.Max(_latestItemAt, t);
        var size = people.Count;
        var context = size > TieModel.BroadcastAudience || meeting.IsAllDay || size < 2;
        var scale = ScalesAt(t).Short;
        var week = WeekSet.WeekOf(t);
        foreach (var (address, response) in people)
        {
            if (string.Equals(address, Owner, StringComparison.Ordinal))
            {
                continue;
            }

            var id = InternAny(address, AddressTable.Hash(address));
            if (ownerOrganizes)
            {
                // An invitation from the owner is direct contact, whatever the meeting's size.
                id = Direct(id);
                ref var invited = ref _contacts[id];
                invited.InvitationsSent++;
                if (response is AttendeeResponse.Accepted or AttendeeResponse.TentativelyAccepted)
                {
                    invited.InvitationsAccepted++;
                }
            }

            if (response == AttendeeResponse.Declined)
            {
                continue;
            }

            // Taking part in a meeting, large or small, is an appearance: it moves the first and last time seen.
            if (context)
            {
                AddCoPresence(id, t, scale / Math.Max(1, size - 1));
                continue;
            }

            // Moved first: the move may grow the array, and `ref _contacts[Direct(id)]` would index the old one.
            id = Direct(id);
            ref var c = ref _contacts[id];
            c.FirstAt = Math.Min(c.FirstAt, t);
            c.LastCoAt = Math.Max(c.LastCoAt, t);

            // Declined counts 0, tentative or unanswered 0.5, accepted or organizing 1 (tiescience.md, group-size factor).
            var answer = response is AttendeeResponse.Accepted or AttendeeResponse.Organizer ? 1.0 : 0.5;
            var g = (size == 2 ? TieModel.OneToOneMeetingWeight : 1.0 / (size - 1)) * answer;
            c.MeetShort += g * scale;
            c.MeetCount++;
            if (size == 2 && !meeting.IsRecurring)
            {
                c.PersonalWeight += 1;
            }
            else
            {
                c.RoleWeight += 1;
            }

            // A small meeting both accepted is time spent together in both directions: a two-way exchange.
            if (answer == 1.0 && (ownerResponse is AttendeeResponse.Accepted or AttendeeResponse.Organizer))
            {
                c.OutCount++;
                c.InCount++;
                c.LastOutAt = Math.Max(c.LastOutAt, t);
                c.LastInAt = Math.Max(c.LastInAt, t);
                c.OutWeeks.Set(week);
                c.InWeeks.Set(week);
            }
        }

        return true;
    }

    private static void PrefetchStrings(MailMessage? message)
    {
        if (message is null)
        {
            return; // AddMessage reports it
        }

        Prefetch.Chars(message.From);
        if (TryGetSpan(message.To, out var to))
        {
            for (var i = 0; i < to.Length && i < 4; i++)
            {
                Prefetch.Chars(to[i]);
            }
        }

        Prefetch.Chars(string.IsNullOrEmpty(message.ConversationId) ? message.Subject : message.ConversationId);
    }

    private enum OwnerPlace
    {
        Absent,
        ToOrBcc,
        CcOnly,
    }

    // To, then Cc, then Bcc: the order in which the original lists them decides which contacts are created first.
    private OwnerPlace ScanRecipients(MailMessage message, string? exclude)
    {
        _scannedCount = 0;
        var direct = Scan(message.To, cc: false, exclude);
        var copied = Scan(message.Cc, cc: true, exclude);
        direct |= Scan(message.Bcc, cc: false, exclude);
        return direct ? OwnerPlace.ToOrBcc : copied ? OwnerPlace.CcOnly : OwnerPlace.Absent;
    }

    // Lists (what the log and Graph readers give) and arrays (tests, generators) are walked as spans: through the
    // interface every Count and every element is an interface dispatch.
    private static bool TryGetSpan(IReadOnlyList<string> addresses, out ReadOnlySpan<string> span)
    {
        switch (addresses)
        {
            case string[] array:
                span = array;
                return true;
            case List<string> list:
                span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);
                return true;
            default:
                span = default;
                return false;
        }
    }

    // Index loops, not foreach, for other lists: an interface enumerator allocates.
    private bool Scan(IReadOnlyList<string> addresses, bool cc, string? exclude)
    {
        var owner = false;
        if (TryGetSpan(addresses, out var span))
        {
            foreach (var address in span)
            {
                owner |= Take(address, cc, exclude);
            }

            return owner;
        }

        for (var i = 0; i < addresses.Count; i++)
        {
            owner |= Take(addresses[i], cc, exclude);
        }

        return owner;
    }

    // Keeps one recipient for later unless it is empty, the owner (then true) or the excluded sender.
    private bool Take(string raw, bool cc, string? exclude)
    {
        var address = Normalize(raw);
        if (string.Equals(address, Owner, StringComparison.Ordinal))
        {
            return true;
        }

        if (address.Length == 0 || string.Equals(address, exclude, StringComparison.Ordinal))
        {
            return false;
        }

        if (_scannedCount == _scanned.Length)
        {
            Array.Resize(ref _scanned, _scanned.Length * 2);
            Array.Resize(ref _scannedHash, _scanned.Length);
            Array.Resize(ref _scannedCc, _scanned.Length);
        }

        // The address's slot is fetched now and read when the message is known to be new (see Prefetch).
        var hash = AddressTable.Hash(address);
        _ids.Prefetch(hash);
        _scanned[_scannedCount] = address;
        _scannedHash[_scannedCount] = hash;
        _scannedCc[_scannedCount] = cc;
        _scannedCount++;
        return false;
    }

    // MailAddress.Normalize, with a vectorised check first: addresses that are already trimmed lower-case ASCII (all of
    // them, from a log reader or after the first sync) are returned as they are, without scanning twice.
    private static string Normalize(string address) =>
        address.Length > 0 && System.Text.Ascii.IsValid(address) && !address.AsSpan().ContainsAnyInRange('A', 'Z')
            && address[0] > ' ' && address[^1] > ' '
            ? address
            : MailAddress.Normalize(address);

    // The scanned recipients' contact ids, each once (the first listing decides To or Cc).
    private void InternRecipients()
    {
        if (_recipients.Length < _scannedCount)
        {
            _recipients = new int[_scanned.Length];
            _recipientCc = new bool[_scanned.Length];
        }

        var n = 0;
        if (_scannedCount <= LinearDedupLimit)
        {
            for (var i = 0; i < _scannedCount; i++)
            {
                var id = InternAny(_scanned[i], _scannedHash[i]);
                if (Array.IndexOf(_recipients, id, 0, n) < 0)
                {
                    AddRecipient(id, _scannedCc[i], ref n);
                }
            }
        }
        else
        {
            // A search of the ids so far would make a message to thousands quadratic (12 million comparisons for an
            // all-company message to 5,000, in every recipient's ledger); each contact is marked with the message
            // instead. Small messages keep the search: it reads nothing more than the ids at hand.
            var mark = NextDedupMark();
            for (var i = 0; i < _scannedCount; i++)
            {
                var id = InternAny(_scanned[i], _scannedHash[i]);
                ref var seen = ref DedupMark(id);
                if (seen != mark)
                {
                    seen = mark;
                    AddRecipient(id, _scannedCc[i], ref n);
                }
            }
        }

        _recipientCount = n;
    }

    private void AddRecipient(int id, bool cc, ref int n)
    {
        PrefetchContact(id);
        _recipients[n] = id;
        _recipientCc[n] = cc;
        n++;
    }

    private int NextDedupMark()
    {
        if (_dedupMark == int.MaxValue)
        {
            Array.Clear(_dedupMarks);
            Array.Clear(_coDedupMarks);
            _dedupMark = 0;
        }

        return ++_dedupMark;
    }

    // The mark slot of a contact id: full and co-present contacts have one array each, like their records.
    private ref int DedupMark(int id)
    {
        if (id >= 0)
        {
            if (id >= _dedupMarks.Length)
            {
                Array.Resize(ref _dedupMarks, _contacts.Length);
            }

            return ref _dedupMarks[id];
        }

        if (~id >= _coDedupMarks.Length)
        {
            Array.Resize(ref _coDedupMarks, _co.Length);
        }

        return ref _coDedupMarks[~id];
    }

    private void AddOutgoing(long t, ulong thread)
    {
        InternRecipients();
        var n = _recipientCount;
        if (n == 0)
        {
            return;
        }

        var week = WeekSet.WeekOf(t);
        var broadcast = n > TieModel.BroadcastAudience;
        var scales = ScalesAt(t);
        var g = 1 / Math.Sqrt(n);
        var newThread = false;
        var repliedTo = OwnerId;
        var replyLatency = 0L;
        if (thread != 0)
        {
            ref var state = ref _threads.GetValueRefOrAddDefault(thread, out var exists);
            newThread = !exists;
            if (exists && state.LastFrom != OwnerId && t >= state.LastAt && t - state.LastAt <= ReplyWindowSeconds)
            {
                repliedTo = state.LastFrom;
                replyLatency = t - state.LastAt;
            }

            if (!exists || t >= state.LastAt)
            {
                state = new ThreadState(t, OwnerId);
            }
        }

        if (broadcast)
        {
            // Context rather than relationship: a recipient of the owner's broadcast is only co-present.
            for (var i = 0; i < n; i++)
            {
                AddCoPresence(_recipients[i], t, scales.Short / n);
            }

            return;
        }

        for (var i = 0; i < n; i++)
        {
            _recipients[i] = Direct(_recipients[i]);
        }

        for (var i = 0; i < n; i++)
        {
            ref var c = ref _contacts[_recipients[i]];
            c.FirstAt = Math.Min(c.FirstAt, t);
            var w = _recipientCc[i] ? g * TieModel.CcFactor : g;
            if (thread == 0 && c.LastInAt > c.LastOutAt && t >= c.LastInAt && t - c.LastInAt <= ReplyWindowSeconds)
            {
                c.OwnerReplies++;
                c.OwnerReplyLogSum += LogLatency(t - c.LastInAt);
            }

            if (t > c.LastInAt)
            {
                c.UnansweredOut++;
            }

            c.OutShort += w * scales.Short;
            c.OutLong += w * scales.Long;
            c.OutCount++;
            c.LastOutAt = Math.Max(c.LastOutAt, t);
            c.OutWeeks.Set(week);
            if (n == 1)
            {
                c.PersonalWeight += 1;
            }
            else
            {
                c.RoleWeight += 1;
            }

            if (newThread)
            {
                c.ThreadsByOwner++;
            }
        }

        if (repliedTo != OwnerId && Array.IndexOf(_recipients, repliedTo, 0, n) >= 0)
        {
            ref var c = ref _contacts[repliedTo];
            c.OwnerReplies++;
            c.OwnerReplyLogSum += LogLatency(replyLatency);
        }
    }

    private void AddIncoming(string from, int fromHash, long t, bool ownerCc, ulong thread)
    {
        var sender = InternAny(from, fromHash);
        PrefetchContact(sender);
        InternRecipients();
        var n = _recipientCount + 1;
        var broadcast = n > TieModel.BroadcastAudience;
        var scales = ScalesAt(t);
        if (broadcast)
        {
            // A broadcast's sender stays co-present: counted towards "bulk sender", not towards the tie.
            AddCoPresence(sender, t, scales.Short / n, broadcastSender: true);
        }
        else
        {
            sender = Direct(sender);
            ref var c = ref _contacts[sender];
            c.FirstAt = Math.Min(c.FirstAt, t);
            var w = (ownerCc ? TieModel.CcFactor : 1) / Math.Sqrt(n);
            if (thread != 0)
            {
                ref var state = ref _threads.GetValueRefOrAddDefault(thread, out var exists);
                if (!exists)
                {
                    c.ThreadsByThem++;
                }
                else if (state.LastFrom == OwnerId && t >= state.LastAt && t - state.LastAt <= ReplyWindowSeconds)
                {
                    c.TheirReplies++;
                    c.TheirReplyLogSum += LogLatency(t - state.LastAt);
                }

                if (!exists || t >= state.LastAt)
                {
                    state = new ThreadState(t, sender);
                }
            }
            else if (c.LastOutAt > c.LastInAt && t >= c.LastOutAt && t - c.LastOutAt <= ReplyWindowSeconds)
            {
                c.TheirReplies++;
                c.TheirReplyLogSum += LogLatency(t - c.LastOutAt);
            }

            if (t >= c.LastInAt)
            {
                c.UnansweredOut = 0;
            }

            c.InShort += w * scales.Short;
            c.InLong += w * scales.Long;
            c.InCount++;
            c.LastInAt = Math.Max(c.LastInAt, t);
            c.InWeeks.Set(WeekSet.WeekOf(t));
            if (n == 1)
            {
                c.PersonalWeight += 1;
            }
            else
            {
                c.RoleWeight += 1;
            }
        }

        // Co-recipients: both received the same message from someone else (g = 1/n).
        for (var i = 0; i < _recipientCount; i++)
        {
            AddCoPresence(_recipients[i], t, scales.Short / n);
        }
    }

    // One appearance beside the owner (a co-recipient, a broadcast recipient, a large meeting), or one broadcast from
    // the contact (counted apart: it marks a bulk sender), on whichever record holds the contact.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void AddCoPresence(int id, long t, double share, bool broadcastSender = false)
    {
        if (id >= 0)
        {
            ref var c = ref _contacts[id];
            Appear(ref c.FirstAt, ref c.LastCoAt, ref c.CoShort, ref broadcastSender ? ref c.InBroadcast : ref c.CoCount, t, share);
        }
        else
        {
            ref var c = ref _co[~id];
            Appear(ref c.FirstAt, ref c.LastCoAt, ref c.CoShort, ref broadcastSender ? ref c.InBroadcast : ref c.CoCount, t, share);
        }

        static void Appear(ref long firstAt, ref long lastAt, ref double coShort, ref int count, long t, double share)
        {
            firstAt = Math.Min(firstAt, t);
            lastAt = Math.Max(lastAt, t);
            coShort += share;
            count++;
        }
    }

    // Latency in log-hours, floored at one minute, so the mean of the logs gives a typical (geometric-mean) reply time.
    private static double LogLatency(long seconds) => Math.Log(Math.Max(seconds, 60) / 3600.0);

    // Rebase once the newest item is 200 short half-lives (33 years) past the anchor: 2^200 keeps every sum far
    // inside double range, and items that old have decayed to nothing.
    private static readonly long _rebaseSeconds = (long)(200 * TieModel.ShortHalfLifeDays * TieModel.SecondsPerDay);

    private Scales ScalesAt(long t)
    {
        if (_anchor == long.MinValue)
        {
            _anchor = t;
        }
        else if (t - _anchor > _rebaseSeconds)
        {
            Rebase(t);
        }

        var offset = t - _anchor;
        return new Scales(
            TieModel.Scale(offset, TieModel.ShortHalfLifeDays),
            TieModel.Scale(offset, TieModel.LongHalfLifeDays));
    }

    private void Rebase(long newAnchor)
    {
        var back = _anchor - newAnchor;
        var shortScale = TieModel.Scale(back, TieModel.ShortHalfLifeDays);
        var longScale = TieModel.Scale(back, TieModel.LongHalfLifeDays);
        for (var i = 0; i < _names.Count; i++)
        {
            ref var c = ref _contacts[i];
            c.OutShort *= shortScale;
            c.InShort *= shortScale;
            c.CoShort *= shortScale;
            c.MeetShort *= shortScale;
            c.OutLong *= longScale;
            c.InLong *= longScale;
        }

        for (var i = 0; i < _coNames.Count; i++)
        {
            _co[i].CoShort *= shortScale;
        }

        _anchor = newAnchor;
    }

    // A contact's id; a new address starts as co-present (a negative id), and Direct moves it on when needed.
    private int InternAny(string address, int hash)
    {
        var fresh = ~_coNames.Count;
        var id = _ids.GetOrAdd(address, hash, fresh);
        if (id != fresh)
        {
            return id;
        }

        return AppendCoPresent(address, CoPresentContact.Empty(AutomatedSenders.LooksAutomated(address)));
    }

    // Appends a record to one store and returns its id (not yet in the address table); feeding and reading share these.
    private int AppendCoPresent(string address, in CoPresentContact record)
    {
        var index = _coNames.Count;
        _coNames.Add(address);
        if (index == _co.Length)
        {
            Array.Resize(ref _co, _co.Length * 2);
        }

        _co[index] = record;
        _coCount++;
        return ~index;
    }

    private int AppendFull(string address, in ContactAggregate aggregate)
    {
        var id = _names.Count;
        _names.Add(address);
        if (id == _contacts.Length)
        {
            Array.Resize(ref _contacts, _contacts.Length * 2);
        }

        _contacts[id] = aggregate;
        return id;
    }

    // The full aggregate's id of a contact about to get a direct exchange: a co-present contact moves into a new full
    // aggregate carrying its values over (so the result equals having kept a full aggregate all along).
    // The common case (already full) is a test and is inlined into the feed loops; the move itself happens once per
    // contact.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Direct(int id) => id >= 0 ? id : MoveToFull(~id);

    private int MoveToFull(int index)
    {
        var address = _coNames[index]!;
        var full = AppendFull(address, _co[index].ToAggregate());
        _ids.Set(address, AddressTable.Hash(address), full);
        _coNames[index] = null;
        _co[index] = default;
        _coCount--;
        return full;
    }

    // Every cache line of a contact's record is fetched as soon as its id is known: the decay factors and the
    // thread state are computed while they arrive.
    private void PrefetchContact(int id)
    {
        if (id >= 0)
        {
            Prefetch.Lines(ref _contacts[id]);
        }
        else
        {
            Prefetch.Line(ref _co[~id]);
        }
    }

    private readonly record struct ThreadState(long LastAt, int LastFrom);

    private readonly record struct Scales(double Short, double Long);
}
