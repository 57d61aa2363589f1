using TiesOffice.Application.Proactive;

namespace TiesOffice.Application.Ports;

/// <summary>
/// The claim that a user's digest of one ISO week has been taken in hand. One per user per week, whatever the channel:
/// the first <see cref="IDigestClaimStore.TryClaimAsync"/> wins and every later one (a retried or duplicated job, another
/// host) is refused, so a digest is never sent twice.
/// </summary>
/// <param name="Week">The ISO week, for example <c>2026-W49</c>.</param>
/// <param name="ClaimedAt">When the claim was made; the week's reminders count as planned at this instant.</param>
/// <param name="Outcome">What the send came to; null while the send is under way (or when the process died before recording it).</param>
/// <param name="Channel">The channel that delivered it, when one did.</param>
/// <param name="NextReminderAt">When the week's next planned reminder falls due; null when none is pending.</param>
public sealed record DigestClaim(
    string Week,
    DateTimeOffset ClaimedAt,
    DeliveryOutcome? Outcome = null,
    ProactiveChannel? Channel = null,
    DateTimeOffset? NextReminderAt = null);

/// <summary>The digest claims of each user (insert-if-absent per user and week).</summary>
public interface IDigestClaimStore
{
    /// <summary>Reads the user's claim of a week, or null.</summary>
    Task<DigestClaim?> GetAsync(UserKey user, string week, CancellationToken cancellationToken = default);

    /// <summary>Inserts the claim if the user has none for its week; false when one exists already (nothing is written).</summary>
    Task<bool> TryClaimAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default);

    /// <summary>Replaces the user's claim of the week (its outcome, the next reminder).</summary>
    Task UpdateAsync(UserKey user, DigestClaim claim, CancellationToken cancellationToken = default);

    /// <summary>Every claim of the user (the export of <see cref="IPrivacyOperations.ExportAsync"/>), in no particular order.</summary>
    IAsyncEnumerable<DigestClaim> ReadAsync(UserKey user, CancellationToken cancellationToken = default);
}
