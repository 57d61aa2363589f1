using TiesOffice.Domain.Ties;

namespace TiesOffice.Application.Network;

/// <summary>One tie as lists show it (the tab's list, the bot's cards, the Outlook pane's header).</summary>
/// <param name="Id">The opaque tie id (see <see cref="Ports.ITieIds"/>).</param>
/// <param name="Contact">The contact's address.</param>
/// <param name="DisplayName">The contact's display name, when known.</param>
/// <param name="Tier">The tier after the user's overrides.</param>
/// <param name="InferredTier">The engine's own tier.</param>
/// <param name="Score">The ranking score.</param>
/// <param name="LastContact">The last direct contact.</param>
/// <param name="Trend">Recent activity against 90 days earlier.</param>
/// <param name="Scope">Internal (the user's own domain) or external.</param>
/// <param name="Portability">Personal share and class (after overrides).</param>
/// <param name="Reciprocity">Balance and who owes a reply.</param>
/// <param name="Why">The explanation, as one sentence.</param>
/// <param name="IsOverridden">Whether an override set the tier or portability.</param>
/// <param name="Muted">Never nudged.</param>
/// <param name="SnoozedUntil">Not nudged before this instant.</param>
public sealed record TieSummary(
    string Id,
    string Contact,
    string? DisplayName,
    TieTier Tier,
    TieTier InferredTier,
    double Score,
    DateTimeOffset? LastContact,
    TieTrend Trend,
    TieScope Scope,
    PortabilityView Portability,
    ReciprocityView Reciprocity,
    string Why,
    bool IsOverridden,
    bool Muted,
    DateTimeOffset? SnoozedUntil);

/// <summary>Whether a contact is in the user's own organisation (same mail domain or a subdomain of it).</summary>
public enum TieScope
{
    /// <summary>Same domain as the user.</summary>
    Internal = 0,

    /// <summary>Any other domain.</summary>
    External = 1,
}

/// <summary>Portability as shown.</summary>
/// <param name="Class">The class (after an override).</param>
/// <param name="PersonalShare">0..1, the share carried by personal contact.</param>
public sealed record PortabilityView(PortabilityClass Class, double PersonalShare);

/// <summary>Reciprocity as lists show it.</summary>
/// <param name="Balance">0 (one-way) to 1 (balanced).</param>
/// <param name="Owed">Who owes a reply.</param>
public sealed record ReciprocityView(double Balance, ReplyOwed Owed);

/// <summary>The attention figures of one tie.</summary>
/// <param name="Sent">Direct messages the user sent the contact (all time).</param>
/// <param name="Received">Direct messages the contact sent the user (all time).</param>
/// <param name="TheirReplyRate">Share of the user's messages they answered within 7 days.</param>
/// <param name="OwnerReplyRate">Share of their messages the user answered within 7 days.</param>
/// <param name="TheirReplyTimeHours">Their typical reply time.</param>
/// <param name="OwnerReplyTimeHours">The user's typical reply time.</param>
/// <param name="OwnerInitiationShare">Share of shared threads the user started.</param>
/// <param name="InvitationsAccepted">Share of the user's invitations they accepted.</param>
/// <param name="Owed">Who owes a reply.</param>
/// <param name="UnansweredInARow">The user's messages since they last wrote.</param>
public sealed record AttentionView(
    int Sent,
    int Received,
    double? TheirReplyRate,
    double? OwnerReplyRate,
    double? TheirReplyTimeHours,
    double? OwnerReplyTimeHours,
    double? OwnerInitiationShare,
    double? InvitationsAccepted,
    ReplyOwed Owed,
    int UnansweredInARow);

/// <summary>The facts behind the why.</summary>
/// <param name="Reason">The deciding rule.</param>
/// <param name="TwoWayWeeksLastYear">Weeks of the last 52 with messages both ways.</param>
/// <param name="ActiveWeeks26">Weeks of the last 26 with direct contact.</param>
/// <param name="DaysSinceLast">Days since the last direct contact.</param>
/// <param name="RhythmDays">The tie's typical gap.</param>
public sealed record WhyParts(string Reason, int TwoWayWeeksLastYear, int ActiveWeeks26, int? DaysSinceLast, int? RhythmDays);

/// <summary>The user's overrides of one tie, as shown and edited.</summary>
/// <param name="Tier">A manual tier.</param>
/// <param name="PositionBased">The user's portability verdict.</param>
/// <param name="Muted">Never nudged.</param>
/// <param name="SnoozedUntil">Not nudged before this instant.</param>
/// <param name="CadenceDays">The user's own rhythm.</param>
/// <param name="Note">A private note.</param>
public sealed record OverridesView(TieTier? Tier, bool? PositionBased, bool Muted, DateTimeOffset? SnoozedUntil, double? CadenceDays, string? Note);

/// <summary>One tie in full (the tab's detail view, the pane's contact card).</summary>
/// <param name="Summary">What lists show.</param>
/// <param name="Timeline">Direct exchanges per week in each direction, the last 53 weeks, oldest first.</param>
/// <param name="Attention">Reciprocity and attention figures.</param>
/// <param name="RhythmDays">The inferred rhythm.</param>
/// <param name="WhyParts">The facts behind the why.</param>
/// <param name="Overrides">The user's overrides.</param>
public sealed record TieDetail(
    TieSummary Summary,
    IReadOnlyList<Scoring.TimelineCount> Timeline,
    AttentionView Attention,
    double? RhythmDays,
    WhyParts WhyParts,
    OverridesView Overrides);

/// <summary>Where the user's data stands.</summary>
public enum SyncState
{
    /// <summary>Enrolled, nothing scored yet.</summary>
    NotStarted = 0,

    /// <summary>A first sync has run but no scores are saved yet.</summary>
    Syncing = 1,

    /// <summary>Scores are available.</summary>
    Ready = 2,

    /// <summary>Graph access lapsed; the user must consent again.</summary>
    NeedsConsent = 3,
}

/// <summary>One of this week's suggestions.</summary>
/// <param name="TieId">The tie's id.</param>
/// <param name="Contact">The contact.</param>
/// <param name="DisplayName">The display name, when known.</param>
/// <param name="Kind">Why it is suggested.</param>
/// <param name="Route">How to act.</param>
/// <param name="RouteText">The route as a sentence to show.</param>
/// <param name="Day">The day to show it.</param>
/// <param name="Why">The tie's why.</param>
public sealed record Suggestion(string TieId, string Contact, string? DisplayName, NudgeKind Kind, NudgeRoute Route, string RouteText, DateOnly Day, string Why);

/// <summary>Tie counts per tier.</summary>
/// <param name="Strong">Strong.</param>
/// <param name="Weak">Weak.</param>
/// <param name="Dormant">Dormant.</param>
/// <param name="Pseudo">Pseudo.</param>
public sealed record TierCounts(int Strong, int Weak, int Dormant, int Pseudo);

/// <summary>The overview.</summary>
/// <param name="DisplayName">The user's name.</param>
/// <param name="MailAddress">The user's address.</param>
/// <param name="Sync">Where the data stands.</param>
/// <param name="LastSyncedAt">The last sync.</param>
/// <param name="Tiers">Counts per tier (after overrides and exclusions).</param>
/// <param name="History">Monthly counts, the last 12 months, oldest first.</param>
/// <param name="Suggestions">This week's suggestions.</param>
public sealed record NetworkSummary(
    string? DisplayName,
    string MailAddress,
    SyncState Sync,
    DateTimeOffset? LastSyncedAt,
    TierCounts Tiers,
    IReadOnlyList<Ports.MonthlyTierCounts> History,
    IReadOnlyList<Suggestion> Suggestions);

/// <summary>How to sort ties.</summary>
public enum TieSort
{
    /// <summary>Highest score first.</summary>
    Score = 0,

    /// <summary>Most recent contact first; never-contacted last.</summary>
    LastContact = 1,

    /// <summary>By name (display name, else address).</summary>
    Name = 2,
}

/// <summary>A tie list query.</summary>
/// <param name="Tiers">Tiers to keep (empty: all).</param>
/// <param name="Portability">Portability class to keep.</param>
/// <param name="Trend">Trend to keep.</param>
/// <param name="Scope">Internal or external.</param>
/// <param name="Text">Text the address or name must contain.</param>
/// <param name="Sort">The order.</param>
/// <param name="Limit">Page size, 1..200.</param>
/// <param name="Continuation">The token of the previous page.</param>
public sealed record TieQuery(
    IReadOnlyList<TieTier> Tiers,
    PortabilityClass? Portability,
    TieTrend? Trend,
    TieScope? Scope,
    string? Text,
    TieSort Sort,
    int Limit,
    string? Continuation);

/// <summary>One page of ties.</summary>
/// <param name="Items">The ties.</param>
/// <param name="Continuation">The token for the next page, or null at the end.</param>
/// <param name="Total">Every match of the filters.</param>
public sealed record TiePage(IReadOnlyList<TieSummary> Items, string? Continuation, int Total);

/// <summary>A change to a tie's overrides: a field left null is left as it is; a <see cref="Patch{T}"/> with no value clears it.</summary>
/// <param name="Tier">The manual tier.</param>
/// <param name="PositionBased">The portability verdict.</param>
/// <param name="Muted">Muted.</param>
/// <param name="SnoozedUntil">Snoozed until.</param>
/// <param name="CadenceDays">The cadence in days.</param>
/// <param name="Note">The private note.</param>
public sealed record OverrideChange(
    Patch<TieTier>? Tier = null,
    Patch<bool>? PositionBased = null,
    bool? Muted = null,
    Patch<DateTimeOffset>? SnoozedUntil = null,
    Patch<double>? CadenceDays = null,
    Patch<string>? Note = null);

/// <summary>A new value for a field, or (with <see cref="HasValue"/> false) clearing it.</summary>
/// <typeparam name="T">The field's type.</typeparam>
/// <param name="Value">The new value, when set.</param>
/// <param name="HasValue">False to clear the field.</param>
public sealed record Patch<T>(T? Value, bool HasValue);

/// <summary>The settings as the user edits them.</summary>
/// <param name="DigestDay">The digest's day.</param>
/// <param name="DigestTime">The digest's local time.</param>
/// <param name="WeeklyBudget">Suggestions per week, 0..20.</param>
/// <param name="TimeZone">An IANA or Windows id, or null for the mailbox's.</param>
/// <param name="Exclusions">Addresses and domains never tracked.</param>
public sealed record SettingsView(DayOfWeek DigestDay, TimeOnly DigestTime, int WeeklyBudget, string? TimeZone, IReadOnlyList<string> Exclusions);

/// <summary>Which ties would survive a change of role.</summary>
/// <param name="Survive">Personal and mixed ties.</param>
/// <param name="Go">Position-based ties.</param>
/// <param name="Unknown">No direct contact to judge by.</param>
public sealed record RoleChangeView(IReadOnlyList<TieSummary> Survive, IReadOnlyList<TieSummary> Go, IReadOnlyList<TieSummary> Unknown);

/// <summary>One group the user's ties reach.</summary>
/// <param name="Name">The domain (or department).</param>
/// <param name="Kind">domain or department.</param>
/// <param name="Internal">Whether it is the user's own organisation.</param>
/// <param name="Strong">Strong ties into it.</param>
/// <param name="Weak">Weak ties into it.</param>
/// <param name="OnlyBridge">The one strong or weak tie into it, when there is exactly one.</param>
public sealed record ReachGroup(string Name, string Kind, bool Internal, int Strong, int Weak, TieSummary? OnlyBridge);

/// <summary>How far the user's ties reach.</summary>
/// <param name="InternalDomain">The user's own domain.</param>
/// <param name="Groups">The groups with at least one strong or weak tie, most ties first.</param>
public sealed record ReachView(string InternalDomain, IReadOnlyList<ReachGroup> Groups);

/// <summary>What the Outlook pane can say about a sender.</summary>
public enum SenderLookupOutcome
{
    /// <summary>A tie: the pane shows it.</summary>
    Tie,

    /// <summary>No tie with this address yet.</summary>
    FirstContact,

    /// <summary>The address is the user's own.</summary>
    Self,

    /// <summary>The address or its domain is excluded: nothing about it is tracked or shown.</summary>
    NotTracked,
}

/// <summary>The answer of <see cref="NetworkService.LookUpSenderAsync"/>.</summary>
/// <param name="Outcome">Which case.</param>
/// <param name="Tie">The tie, for <see cref="SenderLookupOutcome.Tie"/> only.</param>
public sealed record SenderLookup(SenderLookupOutcome Outcome, TieDetail? Tie);
