namespace TiesOffice.Application.Ports;

/// <summary>A user's override of how one contact is treated. Overrides win over inference.</summary>
/// <param name="Contact">The contact's address.</param>
/// <param name="Muted">Never nudge about this contact.</param>
/// <param name="SnoozedUntil">No nudges about this contact before this instant.</param>
/// <param name="ManualTier">A tier the user set by hand (strong, weak, dormant, pseudo), or null.</param>
/// <param name="CadenceDays">The cadence the user wants with this contact, in days, or null.</param>
/// <param name="PositionBased">The user marked the tie as position-based (true) or personal (false); null if unset.</param>
/// <param name="Note">The user's private note about the contact, or null.</param>
public sealed record ContactOverride(
    string Contact,
    bool Muted = false,
    DateTimeOffset? SnoozedUntil = null,
    string? ManualTier = null,
    double? CadenceDays = null,
    bool? PositionBased = null,
    string? Note = null)
{
    /// <summary>Whether the override changes how the tie is scored or nudged (a note alone does not).</summary>
    public bool AffectsScoring => Muted || SnoozedUntil is not null || ManualTier is not null || CadenceDays is not null || PositionBased is not null;
}

/// <summary>A user's own settings.</summary>
/// <param name="WeeklyNudgeBudget">How many nudges the user accepts per week.</param>
/// <param name="TimeZone">The user's time zone id, or null to use the directory's.</param>
/// <param name="DigestDay">The day of the week the digest is sent.</param>
/// <param name="DigestTime">The local time of day the digest is sent; null means <see cref="DefaultDigestTime"/>.</param>
/// <param name="Exclusions">Addresses and domains that are never tracked (normalised, lower case); null means none.</param>
public sealed record UserSettings(
    int WeeklyNudgeBudget = 3,
    string? TimeZone = null,
    DayOfWeek DigestDay = DayOfWeek.Monday,
    TimeOnly? DigestTime = null,
    IReadOnlyList<string>? Exclusions = null)
{
    /// <summary>The default digest time, 09:00 local.</summary>
    public static readonly TimeOnly DefaultDigestTime = new(9, 0);

    /// <summary>The digest time, with the default applied.</summary>
    public TimeOnly EffectiveDigestTime => DigestTime ?? DefaultDigestTime;

    /// <summary>The exclusions, never null.</summary>
    public IReadOnlyList<string> ExcludedEntries => Exclusions ?? [];
}

/// <summary>A user's settings and per-contact overrides.</summary>
public interface ISettingsStore
{
    /// <summary>Reads the user's settings, or the defaults when none were saved.</summary>
    Task<UserSettings> GetSettingsAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Saves the user's settings unconditionally (last writer wins).</summary>
    Task SaveSettingsAsync(UserKey user, UserSettings settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a change to the stored settings with optimistic concurrency: reads, applies
    /// <paramref name="update"/>, writes with the read's ETag, and on a conflict re-reads and re-applies, so two
    /// concurrent updates never lose each other. <paramref name="update"/> may run more than once.
    /// </summary>
    /// <returns>The settings as written.</returns>
    Task<UserSettings> UpdateSettingsAsync(UserKey user, Func<UserSettings, UserSettings> update, CancellationToken cancellationToken = default);

    /// <summary>Saves (inserts or replaces) one contact override.</summary>
    Task SaveOverrideAsync(UserKey user, ContactOverride contactOverride, CancellationToken cancellationToken = default);

    /// <summary>Removes one contact override; an unknown contact is ignored.</summary>
    Task RemoveOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default);

    /// <summary>Reads one contact override, or null.</summary>
    Task<ContactOverride?> GetOverrideAsync(UserKey user, string contact, CancellationToken cancellationToken = default);

    /// <summary>Reads every contact override of the user.</summary>
    IAsyncEnumerable<ContactOverride> ReadOverridesAsync(UserKey user, CancellationToken cancellationToken = default);
}
