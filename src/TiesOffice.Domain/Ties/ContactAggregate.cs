using TiesOffice.Domain.Ties.Mechanics;

namespace TiesOffice.Domain.Ties;

/// <summary>
/// Everything the engine keeps about one contact of one owner: decayed sums, counts, last times and week sets.
/// Decayed sums are stored scaled to the ledger's anchor time A (weight × 2^((t − A)/h)), so adding an item is one
/// multiply-add whatever the order, and any as-of date is one more multiply at scoring time.
/// </summary>
internal struct ContactAggregate
{
    // Fields are grouped by what one message touches (the runtime keeps declaration order within each field size),
    // so that an outgoing or incoming message updates as few cache lines as possible.
    public WeekSet OutWeeks;
    public WeekSet InWeeks;
    public double OutShort;
    public double OutLong;
    public long LastOutAt;
    public long FirstAt;     // first appearance of any kind (mail either way, co-recipient, broadcast, meeting)
    public long LastInAt;
    public double InShort;
    public double InLong;
    public double PersonalWeight;
    public double RoleWeight;
    public double CoShort;
    public long LastCoAt;    // last appearance other than direct mail (co-recipient, broadcast, meeting)
    public double MeetShort;
    public double TheirReplyLogSum;
    public double OwnerReplyLogSum;
    public int OutCount;
    public int UnansweredOut;
    public int ThreadsByOwner;
    public int InCount;
    public int ThreadsByThem;
    public int InBroadcast;
    public int CoCount;
    public int MeetCount;
    public int TheirReplies;
    public int OwnerReplies;
    public int InvitationsSent;
    public int InvitationsAccepted;
    public bool Automated;

    /// <summary>A fresh aggregate: no contact yet.</summary>
    public static ContactAggregate Empty(bool automated) => new()
    {
        FirstAt = long.MaxValue,
        LastOutAt = long.MinValue,
        LastInAt = long.MinValue,
        LastCoAt = long.MinValue,
        Automated = automated,
    };

    /// <summary>Whether there was ever contact in both directions.</summary>
    public readonly bool IsTwoWay => OutCount > 0 && InCount > 0;

    /// <summary>The last direct contact in either direction, or <see cref="long.MinValue"/>.</summary>
    public readonly long LastDirectAt => Math.Max(LastOutAt, LastInAt);
}

/// <summary>
/// What the engine keeps about a contact known only from co-presence: a co-recipient of the owner's mail, a recipient
/// of the owner's broadcasts, a sender of broadcasts to the owner, or a fellow attendee of large meetings. These are
/// exactly the fields of <see cref="ContactAggregate"/> that such appearances touch, in about a fifth of its size: in
/// an organisation with all-company lists, most of a mailbox's contacts are of this kind.
/// </summary>
/// <remarks>The first direct exchange (mail either way, a small meeting, an invitation) moves the contact into a full
/// <see cref="ContactAggregate"/> carrying these values over, so the scores are those of a full aggregate throughout.</remarks>
internal struct CoPresentContact
{
    public double CoShort;
    public long FirstAt;
    public long LastCoAt;
    public int CoCount;
    public int InBroadcast;
    public bool Automated;

    /// <summary>A fresh record: no appearance yet.</summary>
    public static CoPresentContact Empty(bool automated) => new()
    {
        FirstAt = long.MaxValue,
        LastCoAt = long.MinValue,
        Automated = automated,
    };

    /// <summary>The same contact as a full aggregate.</summary>
    public readonly ContactAggregate ToAggregate()
    {
        var c = ContactAggregate.Empty(Automated);
        c.CoShort = CoShort;
        c.FirstAt = FirstAt;
        c.LastCoAt = LastCoAt;
        c.CoCount = CoCount;
        c.InBroadcast = InBroadcast;
        return c;
    }

    /// <summary>Whether a full aggregate holds nothing but co-presence, so that it can be kept as this record.</summary>
    public static bool Holds(in ContactAggregate c) =>
        c.OutCount == 0 && c.InCount == 0 && c.MeetCount == 0 && c.InvitationsSent == 0 && c.InvitationsAccepted == 0
        && c.OutWeeks.IsEmpty && c.InWeeks.IsEmpty && c.OutShort == 0 && c.InShort == 0 && c.OutLong == 0 && c.InLong == 0
        && c.MeetShort == 0 && c.PersonalWeight == 0 && c.RoleWeight == 0 && c.TheirReplies == 0 && c.OwnerReplies == 0
        && c.TheirReplyLogSum == 0 && c.OwnerReplyLogSum == 0 && c.ThreadsByOwner == 0 && c.ThreadsByThem == 0
        && c.UnansweredOut == 0 && c.LastOutAt == long.MinValue && c.LastInAt == long.MinValue;

    /// <summary>The record of a full aggregate that <see cref="Holds"/>.</summary>
    public static CoPresentContact From(in ContactAggregate c) => new()
    {
        CoShort = c.CoShort,
        FirstAt = c.FirstAt,
        LastCoAt = c.LastCoAt,
        CoCount = c.CoCount,
        InBroadcast = c.InBroadcast,
        Automated = c.Automated,
    };
}
