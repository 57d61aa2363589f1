namespace TiesOffice.Application.Ports;

/// <summary>A user's override of how one contact is treated. Overrides win over inference.</summary>
/// <param name="Contact">The contact's address.</param>
/// <param name="Muted">Never nudge about this contact.</param>
/// <param name="SnoozedUntil">No nudges about this contact before this instant.</param>
/// <param name="ManualTier">A tier the user set by hand (strong, weak, dormant, pseudo), or null.</param>
/// <param name="CadenceDays">The cadence the user wants with this contact, in days, or null.</param>
/// <param name="PositionBased">The user marked the tie as position-based (true) or personal (false); null if unset.</param>
public sealed record ContactOverride(
    string Contact,
    bool Muted = false,
    DateTimeOffset? SnoozedUntil = null,
    string? ManualTier = null,
    double? CadenceDays = null,
    bool? PositionBased = null);

/// <summary>A user's own settings.</summary>
/// <param name="WeeklyNudgeBudget">How many nudges the user accepts per week.</param>
/// <param name="TimeZone">The user's time zone id, or null to use the directory's.</param>
public sealed record UserSettings(int WeeklyNudgeBudget = 3, string? TimeZone = null);

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
