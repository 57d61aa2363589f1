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
/// <param name="ScoredAt">The as-of instant of the scoring run that last changed this tie (see <see cref="ITieStore.ReplaceAsync"/>).</param>
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
    DateTimeOffset ScoredAt)
{
    /// <summary>How far a number may move before the stored tie counts as changed (well below what the tab shows).</summary>
    public const double Tolerance = 0.0005;

    /// <summary>
    /// Whether <paramref name="other"/> says the same as this tie, apart from when it was scored: the same tier and why,
    /// the last contact within a second (a store may keep fewer digits), and numbers within <see cref="Tolerance"/>. A store need not rewrite a tie that is the same.
    /// </summary>
    /// <param name="other">The other snapshot, for the same contact.</param>
    /// <returns>True when rewriting this tie over <paramref name="other"/> would change nothing a reader uses.</returns>
    public bool IsSameAs(TieSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Contact, other.Contact, StringComparison.OrdinalIgnoreCase)
            && string.Equals(DisplayName, other.DisplayName, StringComparison.Ordinal)
            && string.Equals(Tier, other.Tier, StringComparison.Ordinal)
            && string.Equals(Why, other.Why, StringComparison.Ordinal)
            && (LastContact is null ? other.LastContact is null : other.LastContact is { } last && (LastContact.Value - last).Duration() < TimeSpan.FromSeconds(1))
            && Close(Score, other.Score)
            && Close(Reciprocity, other.Reciprocity)
            && Close(Portability, other.Portability)
            && Close(Trend, other.Trend)
            && (RhythmDays is null ? other.RhythmDays is null : other.RhythmDays is { } days && Close(RhythmDays.Value, days));

        static bool Close(double a, double b) => Math.Abs(a - b) <= Tolerance;
    }
}

/// <summary>A user's scored ties.</summary>
public interface ITieStore
{
    /// <summary>
    /// Replaces the user's ties with <paramref name="ties"/>: every given tie that is new or not
    /// <see cref="TieSnapshot.IsSameAs"/> the stored one is written, and every stored tie whose contact is not among
    /// them is removed. A stored tie that is the same is left as it is, with its earlier
    /// <see cref="TieSnapshot.ScoredAt"/>.
    /// </summary>
    Task ReplaceAsync(UserKey user, IReadOnlyCollection<TieSnapshot> ties, CancellationToken cancellationToken = default);

    /// <summary>Writes one tie (inserting or replacing it), leaving the user's other ties as they are: a change of
    /// the user's overrides re-scores that one tie at once.</summary>
    Task UpsertAsync(UserKey user, TieSnapshot tie, CancellationToken cancellationToken = default);

    /// <summary>Reads one tie, or null.</summary>
    Task<TieSnapshot?> GetAsync(UserKey user, string contact, CancellationToken cancellationToken = default);

    /// <summary>Reads every tie of the user.</summary>
    IAsyncEnumerable<TieSnapshot> ReadAsync(UserKey user, CancellationToken cancellationToken = default);
}
