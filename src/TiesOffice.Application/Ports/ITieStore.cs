namespace TiesOffice.Application.Ports;

/// <summary>One scored tie, as last computed by the tie engine.</summary>
/// <param name="Contact">The contact's address.</param>
/// <param name="DisplayName">The contact's display name, if known.</param>
/// <param name="Tier">strong, weak, dormant or pseudo.</param>
/// <param name="Score">The tie strength score.</param>
/// <param name="Reciprocity">How balanced the attention is (0 = one-sided, 1 = balanced).</param>
/// <param name="Portability">How much of the tie is personal rather than position-based (0..1).</param>
/// <param name="LastContact">The last two-way interaction, if any.</param>
/// <param name="RhythmDays">The tie's usual interval between interactions, in days, if known.</param>
/// <param name="Trend">The recent change of the score (negative = cooling).</param>
/// <param name="Why">The human-readable explanation of the tier.</param>
/// <param name="ScoredAt">The as-of instant of the scoring run.</param>
public sealed record TieSnapshot(
    string Contact,
    string? DisplayName,
    string Tier,
    double Score,
    double Reciprocity,
    double Portability,
    DateTimeOffset? LastContact,
    double? RhythmDays,
    double Trend,
    string Why,
    DateTimeOffset ScoredAt);

/// <summary>A user's scored ties.</summary>
public interface ITieStore
{
    /// <summary>
    /// Replaces the user's ties with <paramref name="ties"/>: every given tie is upserted and every stored tie whose
    /// contact is not among them is removed.
    /// </summary>
    Task ReplaceAsync(UserKey user, IReadOnlyCollection<TieSnapshot> ties, CancellationToken cancellationToken = default);

    /// <summary>Reads one tie, or null.</summary>
    Task<TieSnapshot?> GetAsync(UserKey user, string contact, CancellationToken cancellationToken = default);

    /// <summary>Reads every tie of the user.</summary>
    IAsyncEnumerable<TieSnapshot> ReadAsync(UserKey user, CancellationToken cancellationToken = default);
}
