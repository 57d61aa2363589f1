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

/// <summary>The few facts that decided a tie's tier and score; <see cref="ToSentence"/> renders them.</summary>
/// <param name="Tier">The tier the facts explain.</param>
/// <param name="TwoWayWeeksLastYear">Weeks in the last 52 with messages in both directions.</param>
/// <param name="ActiveWeeks26">Weeks in the last 26 with any direct contact.</param>
/// <param name="DaysSinceLast">Days since the last direct contact; null when there was none.</param>
/// <param name="RhythmDays">The tie's typical gap in days; null when too few contacts to say.</param>
/// <param name="TheirReplyTime">How fast they usually reply; null when unknown.</param>
/// <param name="Reason">The deciding rule, in a few words (for example "quiet for 9 times its rhythm").</param>
public sealed record TieWhy(
    TieTier Tier,
    int TwoWayWeeksLastYear,
    int ActiveWeeks26,
    int? DaysSinceLast,
    int? RhythmDays,
    TimeSpan? TheirReplyTime,
    string Reason)
{
    /// <summary>Renders the facts as one sentence, for example
    /// "weak: 6 two-way weeks in the last year, last one 94 days ago, usually every 30 days; they reply within 3 h".</summary>
    /// <returns>The sentence.</returns>
    public string ToSentence()
    {
        var text = new StringBuilder();
        text.Append(Tier.ToString().ToLowerInvariant()).Append(": ");
        text.Append(Reason);
        if (TwoWayWeeksLastYear > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {TwoWayWeeksLastYear} two-way week{Plural(TwoWayWeeksLastYear)} in the last year");
        }

        if (DaysSinceLast is { } days)
        {
            text.Append(CultureInfo.InvariantCulture, $", last contact {days} day{Plural(days)} ago");
        }

        if (RhythmDays is { } rhythm)
        {
            text.Append(CultureInfo.InvariantCulture, $", usually every {rhythm} days");
        }

        if (TheirReplyTime is { } reply)
        {
            text.Append("; they reply within ").Append(FormatDuration(reply));
        }

        return text.ToString();
    }

    private static string Plural(int n) => n == 1 ? string.Empty : "s";

    private static string FormatDuration(TimeSpan span) => span.TotalHours switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Ceiling(span.TotalMinutes))} min"),
        < 48 => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(span.TotalHours)} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Ceiling(span.TotalDays)} days"),
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
