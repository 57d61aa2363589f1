namespace TiesOffice.Application.Ports;

/// <summary>Where a nudge is in its life.</summary>
public enum NudgeStatus
{
    /// <summary>Planned, not sent yet.</summary>
    Planned = 0,

    /// <summary>Sent to the user.</summary>
    Sent = 1,

    /// <summary>Dropped before sending (budget, mute, snooze, the tie changed).</summary>
    Cancelled = 2,

    /// <summary>Sending failed for good (for example the conversation is gone).</summary>
    Failed = 3,
}

/// <summary>One planned or sent nudge.</summary>
/// <param name="Id">The nudge id, unique per user (make it deterministic so re-planning is idempotent).</param>
/// <param name="Contact">The contact the nudge is about.</param>
/// <param name="Kind">What the nudge suggests (for example reconnect, congratulate, propose-1:1).</param>
/// <param name="PlannedFor">When it should be sent.</param>
/// <param name="SentAt">When it was sent, if it was.</param>
/// <param name="Status">Its state.</param>
public sealed record Nudge(
    string Id,
    string Contact,
    string Kind,
    DateTimeOffset PlannedFor,
    DateTimeOffset? SentAt,
    NudgeStatus Status);

/// <summary>A user's planned and sent nudges.</summary>
public interface INudgeStore
{
    /// <summary>Inserts or replaces nudges, keyed by <see cref="Nudge.Id"/>.</summary>
    Task UpsertAsync(UserKey user, IReadOnlyCollection<Nudge> nudges, CancellationToken cancellationToken = default);

    /// <summary>Reads one nudge, or null.</summary>
    Task<Nudge?> GetAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default);

    /// <summary>Reads every nudge of the user.</summary>
    IAsyncEnumerable<Nudge> ReadAsync(UserKey user, CancellationToken cancellationToken = default);

    /// <summary>Removes one nudge; an unknown id is ignored.</summary>
    Task RemoveAsync(UserKey user, string nudgeId, CancellationToken cancellationToken = default);
}
