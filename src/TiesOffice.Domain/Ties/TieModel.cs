namespace TiesOffice.Domain.Ties;

/// <summary>
/// The engine's constants and its score, in one place. Every constant carries its reason or its source
/// (numbers in brackets are the references of <c>shared/research/tiescience.md</c>); docs/Engine.md explains the model.
/// </summary>
public static class TieModel
{
    /// <summary>The earliest item time accepted: mail predates nothing earlier; older stamps are clock errors.</summary>
    public static readonly DateTimeOffset EarliestSupported = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest item time accepted (a sanity bound against corrupt time stamps).</summary>
    public static readonly DateTimeOffset LatestSupported = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);


    /// <summary>Short memory: 60 days, the research default; 30, 90 and 180 days were within 0.01 AUC on Enron (tiescience.md, "Half-life").</summary>
    public const double ShortHalfLifeDays = 60;

    /// <summary>Long memory: one year, to remember weak ties (tiescience.md, "Half-life").</summary>
    public const double LongHalfLifeDays = 365;

    /// <summary>Messages to more recipients than this, and meetings larger than this, are context, not relationship:
    /// the same 15 as the large-meeting rule and Dunbar's 15-layer [6][7].</summary>
    public const int BroadcastAudience = 15;

    /// <summary>Weight of a Cc relative to To (tiescience.md, group-size factor).</summary>
    public const double CcFactor = 0.5;

    /// <summary>A message's weight for each of its n people is 1/√n (tiescience.md, group-size factor): attention is
    /// shared among the audience, but a small group still says more than a broadcast. Co-recipients and broadcast
    /// audiences, who did not address each other, share 1/n instead (<see cref="CoPresenceShare"/>).</summary>
    /// <param name="audience">The message's people other than the owner: its recipients, plus the sender when incoming.</param>
    /// <returns>The weight of each.</returns>
    internal static double AudienceShare(int audience) => 1 / Math.Sqrt(audience);

    /// <summary>An appearance beside the owner among n others counts 1/n: being on the same message or in the same
    /// meeting is context, not exchange (tiescience.md, group-size factor).</summary>
    /// <param name="scale">The item's decay scale.</param>
    /// <param name="others">How many others shared it.</param>
    /// <returns>The decayed share.</returns>
    internal static double CoPresenceShare(double scale, int others) => scale / others;

    /// <summary>A meeting attendee who accepted or organizes counts 1 (tiescience.md, group-size factor).</summary>
    public const double AcceptedAttendance = 1.0;

    /// <summary>A tentative or unanswered attendee counts half: they may or may not come (tiescience.md, group-size
    /// factor); one who declined counts nothing and is skipped.</summary>
    public const double TentativeAttendance = 0.5;

    /// <summary>A meeting's weight per attendee: <see cref="OneToOneMeetingWeight"/> for two people, else 1/(n − 1)
    /// shared among the others (tiescience.md, group-size factor).</summary>
    /// <param name="people">The meeting's people, the owner included.</param>
    /// <returns>The weight of each other attendee.</returns>
    internal static double MeetingShare(int people) => people == 2 ? OneToOneMeetingWeight : 1.0 / (people - 1);

    /// <summary>Weight of a 1:1 meeting (time invested; tiescience.md, group-size factor).</summary>
    public const double OneToOneMeetingWeight = 1.5;

    /// <summary>A reply must come within 7 days: 97% of Enron replies do (tiescience.md, reciprocity outputs).</summary>
    public const double ReplyWindowDays = 7;

    /// <summary>Reply times are floored at one minute before their logarithm is averaged: clocks and automatic
    /// forwarding make shorter gaps noise, and log(0) has no mean.</summary>
    public const double MinReplySeconds = 60;

    /// <summary>A conversation older than this no longer leaves anybody owing a reply: the 15-layer's monthly contact
    /// frequency [6] (past a month, a missing answer is a gap in the tie, not an open question).</summary>
    public const double OwedHorizonDays = 30;

    /// <summary>A tie whose contact is mostly (at least half) 1:1 threads and 1:1 meetings is personal: it would
    /// survive a change of role (tiescience.md, portability).</summary>
    public const double PersonalShareAtLeast = 0.5;

    /// <summary>A tie with less than one contact in ten through 1:1 channels lives through the role: position-based
    /// (tiescience.md, portability). Between the two cut-offs it is mixed.</summary>
    public const double PositionBasedShareBelow = 0.1;

    /// <summary>Strong ties per owner at most: Dunbar's sympathy group of about 15 [6][7], taken by rank [9].</summary>
    public const int StrongCap = 15;

    /// <summary>Strong needs a direct contact within 30 days: the 15-layer's monthly contact frequency [6].</summary>
    public const double StrongRecencyDays = 30;

    /// <summary>Strong needs contact in 4 of the last 26 weeks: about monthly, as above (tiescience.md tier rules).</summary>
    public const int StrongActiveWeeks = 4;

    /// <summary>Strong needs messages both ways in at least 4 distinct weeks of the last 52: repeated reciprocity, not
    /// one exchange [11][13]. Chosen over the plain rule on the fitting cuts before 2001 (docs/Engine.md).</summary>
    public const int StrongTwoWayWeeks = 4;

    /// <summary>Strong needs balance of at least 0.2 (min/max decayed direction): a one-sided tie is not strong [11][15].</summary>
    public const double StrongBalance = 0.2;

    /// <summary>Strong needs decayed out + in of at least 2: two recent full-weight messages (tiescience.md tier rules).</summary>
    public const double StrongVolume = 2;

    /// <summary>A tie is dormant after a year of silence: the 150-layer's yearly contact [6].</summary>
    public const double DormantDays = 365;

    /// <summary>...or after 8 times its own typical gap: past that a tie has most likely decayed [12].</summary>
    public const double DormantRhythmMultiple = 8;

    /// <summary>Weeks of the frequency window (the research's 26-week active-weeks feature).</summary>
    public const int ActiveWindowWeeks = 26;

    /// <summary>Weeks of the two-way window: a year, the 150-layer's contact cycle [6].</summary>
    public const int TwoWayWindowWeeks = 52;

    /// <summary>A rhythm is never taken as shorter than a week: activity is recorded per week, so a tie active every
    /// week has a median gap of one week at most resolution.</summary>
    public const double MinRhythmDays = 7;

    /// <summary>The trend compares this many recent days with the same span 90 days earlier (the "now versus 90 days ago").</summary>
    public const int TrendDays = 90;

    /// <summary>The trend moves only on a difference of two active weeks or more, not one, so that a single stray
    /// message does not flip it.</summary>
    public const int TrendStepWeeks = 2;

    internal const double SecondsPerDay = 86_400;

    /// <summary>The score's weight of the balanced two-way volume √(out·in): reciprocity is what predicts a live tie
    /// [11][15] (tiescience.md, "Score").</summary>
    public const double BalancedWeight = 2;

    /// <summary>The score's weight of the volume in either direction: one-way mail adds a little (tiescience.md, "Score").</summary>
    public const double OneWayWeight = 0.25;

    /// <summary>The score's weight of co-presence (co-recipients, broadcasts, large meetings): context adds less still
    /// (tiescience.md, "Score"). Small meetings count in full (their weight is already <see cref="MeetingShare"/>).</summary>
    public const double CoPresenceWeight = 0.1;


    /// <summary>Growth factor 2^(Δt/h) for an offset of <paramref name="seconds"/> from a ledger's anchor.</summary>
    internal static double Scale(long seconds, double halfLifeDays) =>
        double.Exp2(seconds / (halfLifeDays * SecondsPerDay));

    /// <summary>
    /// The ranking score of one tie: S = ln(1 + 2·√(out·in) + 0.25·(out + in) + meet + 0.1·co), the research
    /// prototype's score (tiescience.md, "Score") with the 60-day half-life. The balanced two-way term is Kossinets &amp;
    /// Watts' geometric mean [15] and weighted reciprocity [11]; one-way volume and co-presence add only a little.
    /// A contact not seen anywhere in the mailbox for d days is discounted by 1 / (1 + d / 60) ("still alive";
    /// docs/Engine.md, "Features, score and tiers"). The weights are the prototype's, not refitted here: active weeks, rhythm-relative recency, a 21-day burst
    /// term, reply counts and per-owner ranks were tried on the fitting cuts before 2001 and none improved them
    /// (docs/Engine.md), so they inform tiers and the why, not the rank.
    /// </summary>
    internal static double Score(in TieFeatures f)
    {
        if (f.Automated)
        {
            return 0;
        }

        var volume = (BalancedWeight * Math.Sqrt(f.Out * f.In)) + (OneWayWeight * (f.Out + f.In)) + f.Meet + (CoPresenceWeight * f.Co);
        var score = Math.Log(1 + volume);

        // Still alive: a contact not seen anywhere in the mailbox (not writing, not written to, not even on a Cc of
        // someone else's mail) for d days is discounted by 1 / (1 + d / h), h the short half-life. People leave, change
        // roles or go quiet everywhere at once; the per-tie sums cannot tell that from a pause in one tie, but the
        // contact's last appearance anywhere can. Hyperbolic, not exponential, so long-memory ties keep their rank
        // among themselves (Navarro et al.'s heavy-tailed inter-contact times [12]).
        score /= 1 + (f.DaysSinceSeen / ShortHalfLifeDays);

        return Math.Max(score, 0);
    }
}

/// <summary>The features of one tie as of a date, computed from its aggregate.</summary>
internal readonly record struct TieFeatures(
    double Out,
    double In,
    double Co,
    double Meet,
    double OutLong,
    double InLong,
    int ActiveWeeks26,
    int TwoWayWeeks52,
    double? DaysSinceDirect,
    double? RhythmDays,
    bool TwoWay,
    bool Automated,
    double DaysSinceSeen);
