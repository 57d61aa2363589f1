using System.Globalization;
using System.Text;

namespace TiesOffice.Domain.Ties;

/// <summary>How much attention each side gives the other.</summary>
/// <param name="Sent">Direct messages (and small meetings) from the owner to the contact.</param>
/// <param name="Received">Direct messages (and small meetings) from the contact to the owner.</param>
/// <param name="Balance">Min over max of the decayed volume in each direction, 0 (one-way) to 1 (balanced).</param>
/// <param name="TheirReplyRate">Share of the owner's direct messages the contact answered within 7 days; null before any.</param>
/// <param name="OwnerReplyRate">Share of the contact's direct messages the owner answered within 7 days; null before any.</param>
/// <param name="TheirReplyTime">Typical (geometric mean) time the contact takes to reply; null before any reply.</param>
/// <param name="OwnerReplyTime">Typical (geometric mean) time the owner takes to reply; null before any reply.</param>
/// <param name="OwnerInitiationShare">Share of their shared threads the owner started; null before any thread.</param>
/// <param name="InvitationsAccepted">Share of the owner's meeting invitations the contact accepted; null before any.</param>
/// <param name="Owed">Who owes whom a reply.</param>
/// <param name="UnansweredInARow">How many direct messages the owner has sent since the contact last wrote.</param>
public sealed record Reciprocity(
    int Sent,
    int Received,
    double Balance,
    double? TheirReplyRate,
    double? OwnerReplyRate,
    TimeSpan? TheirReplyTime,
    TimeSpan? OwnerReplyTime,
    double? OwnerInitiationShare,
    double? InvitationsAccepted,
    ReplyOwed Owed,
    int UnansweredInARow);

/// <summary>The share of a tie carried by direct personal contact rather than role channels.</summary>
/// <param name="PersonalShare">0 (only role channels) to 1 (only 1:1 threads and 1:1 meetings).</param>
/// <param name="Class">The verdict drawn from the share.</param>
public sealed record Portability(double PersonalShare, PortabilityClass Class);

/// <summary>The rule that decided a tie's tier, as <see cref="TieWhy"/> explains it.</summary>
public enum WhyRule
{
    /// <summary>Pseudo: a no-reply or bulk sender.</summary>
    AutomatedSender = 0,

    /// <summary>Pseudo: the owner wrote, the contact never wrote back.</summary>
    OnlyYouWrote = 1,

    /// <summary>Pseudo: the contact wrote, the owner never wrote back.</summary>
    OnlyTheyWrote = 2,

    /// <summary>Pseudo: no direct exchange; they only shared messages or meetings.</summary>
    NoDirectExchange = 3,

    /// <summary>Dormant: no direct contact for over a year.</summary>
    QuietOverAYear = 4,

    /// <summary>Dormant: quiet for many times the tie's usual gap.</summary>
    QuietPastRhythm = 5,

    /// <summary>Weak: no direct contact in the last 30 days.</summary>
    NoContactLastMonth = 6,

    /// <summary>Weak: in touch in too few of the last 26 weeks.</summary>
    FewActiveWeeks = 7,

    /// <summary>Weak: messages both ways in too few of the last 52 weeks.</summary>
    FewTwoWayWeeks = 8,

    /// <summary>Weak: recent mail mostly from the owner.</summary>
    MostlyYouLately = 9,

    /// <summary>Weak: recent mail mostly from the contact.</summary>
    MostlyThemLately = 10,

    /// <summary>Weak: too little recent mail.</summary>
    LittleMailLately = 11,

    /// <summary>Weak: meets every strong rule, but others rank higher.</summary>
    OutsideTopStrong = 12,

    /// <summary>Strong: frequent, recent and balanced, and among the owner's top ties.</summary>
    FrequentRecentBalanced = 13,

    /// <summary>The owner set the tier.</summary>
    SetByYou = 14,
}

/// <summary>Which figure a <see cref="WhyPart"/> shows.</summary>
public enum WhyFigure
{
    /// <summary>No figure: the part is words only.</summary>
    None = 0,

    /// <summary>Direct messages (and small meetings) from the owner, in all.</summary>
    Sent = 1,

    /// <summary>Direct messages (and small meetings) from the contact, in all.</summary>
    Received = 2,

    /// <summary>Days since the last direct contact.</summary>
    DaysSinceLast = 3,

    /// <summary>Weeks with any direct contact, of the last 26.</summary>
    ActiveWeeks = 4,

    /// <summary>Weeks with contact in both directions, of the last 52.</summary>
    TwoWayWeeks = 5,

    /// <summary>The tie's usual gap between active weeks, in days.</summary>
    RhythmDays = 6,

    /// <summary>How many times its usual gap the tie has been quiet.</summary>
    QuietMultiple = 7,

    /// <summary>Recent mail from the owner, in messages' worth (a group message counts a share, older mail fades by half every 60 days).</summary>
    RecentFromYou = 8,

    /// <summary>Recent mail from the contact, in the same unit.</summary>
    RecentFromThem = 9,

    /// <summary>Recent mail both ways together, in the same unit.</summary>
    RecentMail = 10,

    /// <summary>The contact's typical reply time, in the unit its text names.</summary>
    TheirReplyTime = 11,
}

/// <summary>One part of a why: a figure, the window it is counted over, and its words.</summary>
/// <param name="Figure">Which figure; <see cref="WhyFigure.None"/> for words only.</param>
/// <param name="Value">The figure as the text shows it (0 when there is none).</param>
/// <param name="Window">The span the figure is counted over, in words ("the last 26 weeks", "in all"); empty for a point in
/// time (days since the last contact) or a typical value (their usual reply time, over all their replies).</param>
/// <param name="Text">The part in words, as the sentence shows it.</param>
public sealed record WhyPart(WhyFigure Figure, double Value, string Window, string Text);

/// <summary>The few facts that decided a tie's tier and score; <see cref="ToSentence"/> renders them, and
/// <see cref="Parts"/> gives the same facts as data (the reason first).</summary>
/// <remarks>
/// Every figure names its window, and the parts never contradict each other: the reason is the first rule the tie
/// fails or meets (its deciding figure with it), and the other facts are chosen per rule so that none reads against it
/// (a dormant tie does not list its active weeks; recent mail is called "little" only with its own measure next to it).
/// </remarks>
/// <param name="Tier">The tier the facts explain.</param>
/// <param name="Rule">The rule that decided the tier.</param>
/// <param name="TwoWayWeeksLastYear">Weeks in the last 52 with messages in both directions.</param>
/// <param name="ActiveWeeks26">Weeks in the last 26 with any direct contact.</param>
/// <param name="DaysSinceLast">Days since the last direct contact; null when there was none.</param>
/// <param name="RhythmDays">The tie's typical gap in days; null when too few contacts to say.</param>
/// <param name="TheirReplyTime">How fast they usually reply; null when unknown.</param>
/// <param name="Sent">Direct messages (and small meetings) from the owner, in all.</param>
/// <param name="Received">Direct messages (and small meetings) from the contact, in all.</param>
/// <param name="RecentFromYou">Recent mail from the owner in messages' worth (a 1:1 message counts 1, a message to n people 1/√n, older mail fades by half every 60 days).</param>
/// <param name="RecentFromThem">Recent mail from the contact, in the same unit.</param>
/// <param name="HasMet">Whether they met in small meetings (meetings count towards contact weeks, not towards mail).</param>
/// <param name="ExactRhythmDays">The typical gap unrounded (a median of an even count of gaps can fall between two
/// whole weeks); the quiet rule compares with it. Null to use <paramref name="RhythmDays"/>.</param>
public sealed record TieWhy(
    TieTier Tier,
    WhyRule Rule,
    int TwoWayWeeksLastYear,
    int ActiveWeeks26,
    int? DaysSinceLast,
    int? RhythmDays,
    TimeSpan? TheirReplyTime,
    int Sent,
    int Received,
    double RecentFromYou,
    double RecentFromThem,
    bool HasMet,
    double? ExactRhythmDays = null)
{
    /// <summary>How recent mail is measured, in words.</summary>
    public const string RecentMailWindow = "group mail counts less, mail halves in weight every 60 days";

    /// <summary>The deciding rule in words, with its figures (for example "quiet for 94 days, 13 times its usual gap of 7 days").</summary>
    public string Reason => Parts[0].Text;

    /// <summary>The reason's part (or parts) first, then the facts beside it, each with its figure and window.</summary>
    public IReadOnlyList<WhyPart> Parts => BuildParts();

    /// <summary>Renders the facts as one sentence, for example
    /// "weak: in touch in only 2 of the last 26 weeks (strong ties: 4 or more); both ways in 6 of the last 52 weeks, last contact 12 days ago".</summary>
    /// <returns>The sentence.</returns>
    public string ToSentence()
    {
        var parts = Parts;
        var reasonParts = ReasonPartCount();
        var text = new StringBuilder();
        text.Append(Tier.ToString().ToLowerInvariant()).Append(": ");
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                text.Append(i == reasonParts ? "; " : ", ");
            }

            text.Append(parts[i].Text);
        }

        return text.ToString();
    }

    private int ReasonPartCount() => Rule is WhyRule.MostlyYouLately or WhyRule.MostlyThemLately ? 2 : 1;

    private List<WhyPart> BuildParts()
    {
        var parts = new List<WhyPart>();
        var days = DaysSinceLast ?? 0;
        switch (Rule)
        {
            case WhyRule.AutomatedSender:
                parts.Add(Words("an automated or bulk sender"));
                return parts;
            case WhyRule.OnlyYouWrote:
                parts.Add(new WhyPart(WhyFigure.Sent, Sent, "in all", Invariant($"only you have written: {Count(Sent, "message")} in all, none back")));
                AddLastContact(parts);
                return parts;
            case WhyRule.OnlyTheyWrote:
                parts.Add(new WhyPart(WhyFigure.Received, Received, "in all", Invariant($"only they have written: {Count(Received, "message")} in all, none from you")));
                AddLastContact(parts);
                return parts;
            case WhyRule.NoDirectExchange:
                parts.Add(Words("no direct exchange, only shared messages or meetings"));
                return parts;
            case WhyRule.QuietOverAYear:
                parts.Add(new WhyPart(WhyFigure.DaysSinceLast, days, string.Empty, Invariant($"no contact for over a year: last one {Count(days, "day")} ago")));
                AddTwoWayWeeks(parts, onlyWhenAny: true);
                return parts;
            case WhyRule.QuietPastRhythm:
                var gap = Math.Max(TieModel.MinRhythmDays, ExactRhythmDays ?? RhythmDays ?? 0);
                var multiple = Math.Floor(days / gap);
                parts.Add(new WhyPart(WhyFigure.QuietMultiple, multiple, string.Empty, Invariant($"quiet for {Count(days, "day")}, {multiple} times its usual gap of {gap:0.#} days")));
                AddTwoWayWeeks(parts, onlyWhenAny: true);
                AddReplyTime(parts);
                return parts;
            case WhyRule.NoContactLastMonth:
                var over = days <= TieModel.StrongRecencyDays ? "just over " : string.Empty;
                parts.Add(new WhyPart(WhyFigure.DaysSinceLast, days, "the last 30 days", Invariant($"no contact in the last 30 days: last one {over}{Count(days, "day")} ago")));
                AddActiveWeeks(parts);
                AddTwoWayWeeks(parts, onlyWhenAny: true);
                AddReplyTime(parts);
                return parts;
            case WhyRule.FewActiveWeeks:
                parts.Add(new WhyPart(WhyFigure.ActiveWeeks, ActiveWeeks26, "the last 26 weeks", Invariant($"in touch in only {ActiveWeeks26} of the last 26 weeks (strong ties: {TieModel.StrongActiveWeeks} or more)")));
                AddTwoWayWeeks(parts, onlyWhenAny: true);
                AddLastContact(parts);
                AddReplyTime(parts);
                return parts;
            case WhyRule.FewTwoWayWeeks:
                parts.Add(new WhyPart(WhyFigure.TwoWayWeeks, TwoWayWeeksLastYear, "the last 52 weeks", Invariant($"both ways in only {TwoWayWeeksLastYear} of the last 52 weeks (strong ties: {TieModel.StrongTwoWayWeeks} or more)")));
                AddActiveWeeks(parts);
                AddLastContact(parts);
                AddReplyTime(parts);
                return parts;
            case WhyRule.MostlyYouLately or WhyRule.MostlyThemLately:
                var decimals = Decimals(RecentFromYou > 0 && RecentFromThem > 0 ? Math.Min(RecentFromYou, RecentFromThem) : Math.Max(RecentFromYou, RecentFromThem));
                var you = Truncate(RecentFromYou, decimals);
                var them = Truncate(RecentFromThem, decimals);
                var who = Rule == WhyRule.MostlyYouLately ? "you" : "them";
                parts.Add(new WhyPart(WhyFigure.RecentFromYou, you, RecentMailWindow, Invariant($"mostly {who} writing lately: {you:0.#########} messages' worth from you")));
                parts.Add(new WhyPart(WhyFigure.RecentFromThem, them, RecentMailWindow, Invariant($"{them:0.#########} from them ({RecentMailWindow})")));
                break;
            case WhyRule.LittleMailLately:
                var recent = Truncate(RecentFromYou + RecentFromThem, Decimals(RecentFromYou + RecentFromThem));
                var meetings = HasMet ? ", meetings not counted" : string.Empty;
                parts.Add(new WhyPart(WhyFigure.RecentMail, recent, RecentMailWindow, Invariant($"little mail lately: {recent:0.#########} messages' worth both ways, strong ties have {TieModel.StrongVolume} ({RecentMailWindow}{meetings})")));
                break;
            case WhyRule.OutsideTopStrong:
                parts.Add(Words(Invariant($"close, but not among your {TieModel.StrongCap} strongest")));
                break;
            case WhyRule.FrequentRecentBalanced:
                parts.Add(Words("frequent, recent and balanced"));
                break;
            default:
                parts.Add(Words("set by you"));
                break;
        }

        AddActiveWeeks(parts);
        AddTwoWayWeeks(parts, onlyWhenAny: true);
        AddLastContact(parts);
        AddReplyTime(parts);
        return parts;
    }

    private void AddActiveWeeks(List<WhyPart> parts)
    {
        if (ActiveWeeks26 > 0)
        {
            // Meetings make contact weeks without mail; say so unless the reason has said it.
            var how = HasMet && Rule != WhyRule.LittleMailLately ? "in touch by mail or meetings" : "in touch";
            parts.Add(new WhyPart(WhyFigure.ActiveWeeks, ActiveWeeks26, "the last 26 weeks", Invariant($"{how} in {ActiveWeeks26} of the last 26 weeks")));
        }
    }

    private void AddTwoWayWeeks(List<WhyPart> parts, bool onlyWhenAny)
    {
        if (TwoWayWeeksLastYear > 0 || !onlyWhenAny)
        {
            parts.Add(new WhyPart(WhyFigure.TwoWayWeeks, TwoWayWeeksLastYear, "the last 52 weeks", Invariant($"both ways in {TwoWayWeeksLastYear} of the last 52 weeks")));
        }
    }

    private void AddLastContact(List<WhyPart> parts)
    {
        if (DaysSinceLast is { } days)
        {
            parts.Add(new WhyPart(WhyFigure.DaysSinceLast, days, string.Empty, days == 0 ? "last contact today" : Invariant($"last contact {Count(days, "day")} ago")));
        }
    }

    private void AddReplyTime(List<WhyPart> parts)
    {
        if (TheirReplyTime is { } reply)
        {
            var (value, unit) = Duration(reply);
            parts.Add(new WhyPart(WhyFigure.TheirReplyTime, value, string.Empty, Invariant($"they usually reply within {value} {unit}")));
        }
    }

    private static WhyPart Words(string text) => new(WhyFigure.None, 0, string.Empty, text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Count(int n, string noun) => string.Create(CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    // Recent mail is shown with two significant digits of the smaller figure (at least 1 decimal, at most 9), so that
    // a faint tie reads "0.0041 from you, 0.00031 from them", not "0 from you, 0 from them".
    private static int Decimals(double smaller) =>
        smaller >= 10 ? 1 : smaller >= 0.1 || smaller <= 0 ? 2 : Math.Min(9, (int)Math.Ceiling(-Math.Log10(smaller)) + 1);

    // Shown figures are cut, never rounded up, so that a figure under a threshold never reads as reaching it.
    private static double Truncate(double value, int decimals)
    {
        var scale = Math.Pow(10, decimals);
        return Math.Floor(value * scale) / scale;
    }

    private static (int Value, string Unit) Duration(TimeSpan span) => span.TotalHours switch
    {
        < 1 => (Math.Max(1, (int)Math.Ceiling(span.TotalMinutes)), "min"),
        < 48 => ((int)Math.Ceiling(span.TotalHours), "h"),
        _ => ((int)Math.Ceiling(span.TotalDays), "days"),
    };
}

/// <summary>One scored relationship of one owner, as of a date.</summary>
/// <param name="Contact">The contact's normalised address.</param>
/// <param name="Tier">The tier (after overrides).</param>
/// <param name="Score">The ranking score: higher means more likely a live two-way tie (0 for excluded senders).</param>
/// <param name="Reciprocity">Attention figures in both directions.</param>
/// <param name="Portability">Position versus person.</param>
/// <param name="LastContact">The last direct contact, if any.</param>
/// <param name="Rhythm">The tie's typical gap between active weeks, if it has one.</param>
/// <param name="Trend">Recent activity compared with 90 days earlier.</param>
/// <param name="Why">The deciding facts.</param>
/// <param name="IsAutomated">True for no-reply and bulk senders, which are never relationships.</param>
/// <param name="IsOverridden">True when a user override set the tier or portability.</param>
public sealed record Tie(
    string Contact,
    TieTier Tier,
    double Score,
    Reciprocity Reciprocity,
    Portability Portability,
    DateTimeOffset? LastContact,
    TimeSpan? Rhythm,
    TieTrend Trend,
    TieWhy Why,
    bool IsAutomated,
    bool IsOverridden);

/// <summary>A user's override for one contact. Overrides always win over inference.</summary>
/// <param name="Contact">The contact's address (normalised on use).</param>
/// <param name="Tier">A manual tier, or null to keep the inferred one.</param>
/// <param name="Muted">Never suggest anything about this contact.</param>
/// <param name="SnoozedUntil">No suggestions before this date.</param>
/// <param name="Cadence">The user's own rhythm for this tie; it replaces the inferred rhythm in nudges.</param>
/// <param name="PositionBased">The user's verdict on portability; null to keep the inferred one.</param>
public sealed record ContactOverride(
    string Contact,
    TieTier? Tier = null,
    bool Muted = false,
    DateTimeOffset? SnoozedUntil = null,
    TimeSpan? Cadence = null,
    bool? PositionBased = null);
