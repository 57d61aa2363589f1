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
