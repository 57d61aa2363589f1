using System.Runtime.CompilerServices;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties.Mechanics;

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

    private static readonly long _earliest = TieModel.EarliestSupported.ToUnixTimeSeconds();
    private static readonly long _latest = TieModel.LatestSupported.ToUnixTimeSeconds();

    // The contacts themselves live in TieLedger.Contacts.cs; how a message's addresses become contact ids, in
    // TieLedger.Recipients.cs. This file says what each item does to the ties.
    private readonly KeyMap<ThreadState> _threads = new();
    private readonly ItemIdSet _seen = new();
    private long _latestItemAt = long.MinValue;

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
    /// <returns><see cref="MeetingIntake.Added"/> when it was taken in; otherwise why not. Only
    /// <see cref="MeetingIntake.AlreadySeen"/> can mean that the ledger holds an older state of the meeting.</returns>
    /// <exception cref="ArgumentOutOfRangeException">It starts before 1970 or after 2199.</exception>
    public MeetingIntake Add(Meeting meeting)
    {
        ArgumentNullException.ThrowIfNull(meeting);

        // The id comes first: a meeting taken in before may now be cancelled or declined, and the caller must hear
        // that the ledger holds it, not that it would refuse it.
        var item = ThreadKeys.OfItem(1, meeting.Id);
        if (_seen.Contains(item))
        {
            return MeetingIntake.AlreadySeen;
        }

        if (meeting.IsCancelled)
        {
            return MeetingIntake.Cancelled;
        }

        if (meeting.Kind == MeetingKind.SeriesMaster)
        {
            return MeetingIntake.SeriesMaster;
        }

        var t = meeting.Start.ToUnixTimeSeconds();
        if (t < _earliest || t >= _latest)
        {
            throw new ArgumentOutOfRangeException(nameof(meeting), meeting.Start, "Items must fall between 1970 and 2199.");
        }

        var people = MeetingPeople(meeting);
        if (!people.TryGetValue(Owner, out var ownerResponse) || ownerResponse == AttendeeResponse.Declined)
        {
            return MeetingIntake.OwnerNotAttending;
        }

        _seen.Add(item);
        _latestItemAt = Math.Max(_latestItemAt, t);
        var size = people.Count;
        var context = size > TieModel.BroadcastAudience || meeting.IsAllDay || size < 2;
        var ownerOrganizes = string.Equals(MailAddress.Normalize(meeting.Organizer), Owner, StringComparison.Ordinal);
        var ownerAttends = Attends(ownerResponse);
        var oneToOne = size == 2 && !meeting.IsRecurring;
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
                id = CountInvitation(id, response);
            }

            if (response == AttendeeResponse.Declined)
            {
                continue;
            }

            // Taking part in a meeting, large or small, is an appearance: it moves the first and last time seen.
            if (context)
            {
                AddCoPresence(id, t, TieModel.CoPresenceShare(scale, Math.Max(1, size - 1)));
                continue;
            }

            // Moved first: the move may grow the array, and `ref _contacts[Direct(id)]` would index the old one.
            id = Direct(id);
            AddSmallMeeting(ref _contacts[id], t, week, scale, size, response, ownerAttends, oneToOne);
        }

        return MeetingIntake.Added;
    }

    // Everybody in a meeting with their answer, the organizer first; resources and implausible addresses are no people.
    private static Dictionary<string, AttendeeResponse> MeetingPeople(Meeting meeting)
    {
        var people = new Dictionary<string, AttendeeResponse>(StringComparer.Ordinal);
        var organizer = MailAddress.Normalize(meeting.Organizer);
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

        return people;
    }

    private static bool Attends(AttendeeResponse response) => response is AttendeeResponse.Accepted or AttendeeResponse.Organizer;

    // An invitation from the owner is direct contact, whatever the meeting's size; returns the contact's (full) id.
    private int CountInvitation(int id, AttendeeResponse response)
    {
        id = Direct(id);
        ref var invited = ref _contacts[id];
        invited.InvitationsSent++;
        if (response is AttendeeResponse.Accepted or AttendeeResponse.TentativelyAccepted)
        {
            invited.InvitationsAccepted++;
        }

        return id;
    }

    // A meeting of 2 to 15 people is time spent together: it adds the attendee's share of the meeting, weighed by
    // their answer, and when both the owner and the attendee accepted it counts as an exchange in both directions.
    private static void AddSmallMeeting(ref ContactAggregate c, long t, int week, double scale, int size, AttendeeResponse response, bool ownerAttends, bool oneToOne)
    {
        c.FirstAt = Math.Min(c.FirstAt, t);
        c.LastCoAt = Math.Max(c.LastCoAt, t);
        var attends = Attends(response);
        var answer = attends ? TieModel.AcceptedAttendance : TieModel.TentativeAttendance;
        c.MeetShort += TieModel.MeetingShare(size) * answer * scale;
        c.MeetCount++;
        CountChannel(ref c, oneToOne);
        if (attends && ownerAttends)
        {
            c.OutCount++;
            c.InCount++;
            c.LastOutAt = Math.Max(c.LastOutAt, t);
            c.LastInAt = Math.Max(c.LastInAt, t);
            c.OutWeeks.Set(week);
            c.InWeeks.Set(week);
        }
    }

    // Portability's evidence: one more contact through a 1:1 channel (a 1:1 message, a 1:1 one-off meeting) or through
    // a role channel (a group message, a group or recurring meeting).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CountChannel(ref ContactAggregate c, bool oneToOne)
    {
        if (oneToOne)
        {
            c.PersonalWeight += 1;
        }
        else
        {
            c.RoleWeight += 1;
        }
    }

    // A message from the owner: to at most 15 people it is a direct exchange with each, weighted 1/√n (a Cc half
    // that); to more, a broadcast that only makes its recipients co-present.
    private void AddOutgoing(long t, ulong thread)
    {
        InternRecipients();
        var n = _recipientCount;
        if (n == 0)
        {
            return;
        }

        var scales = ScalesAt(t);
        var inThread = thread == 0 ? ThreadReply.NoThread : OwnerWritesInThread(thread, t);
        if (n > TieModel.BroadcastAudience)
        {
            // Context rather than relationship: a recipient of the owner's broadcast is only co-present.
            for (var i = 0; i < n; i++)
            {
                AddCoPresence(_recipients[i], t, TieModel.CoPresenceShare(scales.Short, n));
            }

            return;
        }

        for (var i = 0; i < n; i++)
        {
            _recipients[i] = Direct(_recipients[i]);
        }

        var week = WeekSet.WeekOf(t);
        var g = TieModel.AudienceShare(n);
        for (var i = 0; i < n; i++)
        {
            var w = _recipientCc[i] ? g * TieModel.CcFactor : g;
            AddSent(ref _contacts[_recipients[i]], t, week, w, scales, oneToOne: n == 1, threadless: thread == 0, inThread.Started);
        }

        if (inThread.RepliedTo != OwnerId && Array.IndexOf(_recipients, inThread.RepliedTo, 0, n) >= 0)
        {
            CountOwnerReply(ref _contacts[inThread.RepliedTo], inThread.Latency);
        }
    }

    // The owner's message in a thread: whether it starts the thread, and whom it answers (the thread's last writer, if
    // they wrote within the reply window). The thread's last message becomes the owner's.
    private ThreadReply OwnerWritesInThread(ulong thread, long t)
    {
        ref var state = ref _threads.GetValueRefOrAddDefault(thread, out var exists);
        var reply = new ThreadReply(!exists, OwnerId, 0);
        if (exists && state.LastFrom != OwnerId && t >= state.LastAt && t - state.LastAt <= ReplyWindowSeconds)
        {
            reply = reply with { RepliedTo = state.LastFrom, Latency = t - state.LastAt };
        }

        if (!exists || t >= state.LastAt)
        {
            state = new ThreadState(t, OwnerId);
        }

        return reply;
    }

    // One recipient of the owner's direct message. Without a thread, a message within the reply window of the
    // contact's last one counts as the owner's reply.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddSent(ref ContactAggregate c, long t, int week, double w, Scales scales, bool oneToOne, bool threadless, bool startsThread)
    {
        c.FirstAt = Math.Min(c.FirstAt, t);
        if (threadless && c.LastInAt > c.LastOutAt && t >= c.LastInAt && t - c.LastInAt <= ReplyWindowSeconds)
        {
            CountOwnerReply(ref c, t - c.LastInAt);
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
        CountChannel(ref c, oneToOne);
        if (startsThread)
        {
            c.ThreadsByOwner++;
        }
    }

    // A message to the owner: from a sender with at most 15 people on it, a direct exchange weighted 1/√n (half when
    // the owner is only on Cc); with more, a broadcast that marks the sender as a bulk sender. Either way the other
    // recipients are co-present.
    private void AddIncoming(string from, int fromHash, long t, bool ownerCc, ulong thread)
    {
        var sender = InternAny(from, fromHash);
        PrefetchContact(sender);
        InternRecipients();
        var n = _recipientCount + 1;
        var scales = ScalesAt(t);
        if (n > TieModel.BroadcastAudience)
        {
            // A broadcast's sender stays co-present: counted towards "bulk sender", not towards the tie.
            AddCoPresence(sender, t, TieModel.CoPresenceShare(scales.Short, n), broadcastSender: true);
        }
        else
        {
            sender = Direct(sender);
            var w = (ownerCc ? TieModel.CcFactor : 1) * TieModel.AudienceShare(n);
            AddReceived(ref _contacts[sender], sender, t, w, scales, oneToOne: n == 1, thread);
        }

        // Co-recipients: both received the same message from someone else (g = 1/n).
        for (var i = 0; i < _recipientCount; i++)
        {
            AddCoPresence(_recipients[i], t, TieModel.CoPresenceShare(scales.Short, n));
        }
    }

    // The sender of a direct message to the owner. It answers the owner when it follows the owner's message (in its
    // thread, or without a thread the owner's last message to them) within the reply window.
    private void AddReceived(ref ContactAggregate c, int sender, long t, double w, Scales scales, bool oneToOne, ulong thread)
    {
        c.FirstAt = Math.Min(c.FirstAt, t);
        if (thread != 0)
        {
            ContactWritesInThread(ref c, sender, thread, t);
        }
        else if (c.LastOutAt > c.LastInAt && t >= c.LastOutAt && t - c.LastOutAt <= ReplyWindowSeconds)
        {
            CountTheirReply(ref c, t - c.LastOutAt);
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
        CountChannel(ref c, oneToOne);
    }

    // The contact's message in a thread: it starts the thread, or answers the owner when the owner wrote last within
    // the reply window. The thread's last message becomes the contact's.
    private void ContactWritesInThread(ref ContactAggregate c, int sender, ulong thread, long t)
    {
        ref var state = ref _threads.GetValueRefOrAddDefault(thread, out var exists);
        if (!exists)
        {
            c.ThreadsByThem++;
        }
        else if (state.LastFrom == OwnerId && t >= state.LastAt && t - state.LastAt <= ReplyWindowSeconds)
        {
            CountTheirReply(ref c, t - state.LastAt);
        }

        if (!exists || t >= state.LastAt)
        {
            state = new ThreadState(t, sender);
        }
    }

    private static void CountOwnerReply(ref ContactAggregate c, long latency)
    {
        c.OwnerReplies++;
        c.OwnerReplyLogSum += LogLatency(latency);
    }

    private static void CountTheirReply(ref ContactAggregate c, long latency)
    {
        c.TheirReplies++;
        c.TheirReplyLogSum += LogLatency(latency);
    }

    // One appearance beside the owner (a co-recipient, a broadcast recipient, a large meeting), or one broadcast from
    // the contact (counted apart: it marks a bulk sender), on whichever record holds the contact.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    // Latency in log-hours, floored (TieModel.MinReplySeconds), so the mean of the logs gives a typical (geometric-mean) reply time.
    private static double LogLatency(long seconds) => Math.Log(Math.Max(seconds, TieModel.MinReplySeconds) / 3600.0);

    private readonly record struct ThreadState(long LastAt, int LastFrom);

    // What the owner's message in a thread does: starts it, or answers a contact after some seconds.
    private readonly record struct ThreadReply(bool Started, int RepliedTo, long Latency)
    {
        public static ThreadReply NoThread => new(false, OwnerId, 0);
    }
}
