namespace TiesOffice.Application.Ports;

/// <summary>A user's tie counts per tier at the end of one month (or, for the current month, as of the last scoring).</summary>
/// <param name="Month">The month, <c>yyyy-MM</c>.</param>
/// <param name="Strong">Strong ties.</param>
/// <param name="Weak">Weak ties.</param>
/// <param name="Dormant">Dormant ties.</param>
/// <param name="Pseudo">Pseudo ties.</param>
public sealed record MonthlyTierCounts(string Month, int Strong, int Weak, int Dormant, int Pseudo);

/// <summary>The monthly snapshots of a user's tier counts (one small row per month).</summary>
public interface ITierHistoryStore
{
    /// <summary>Inserts or replaces the given months.</summary>
    Task SaveAsync(UserKey user, IReadOnlyCollection<MonthlyTierCounts> months, CancellationToken cancellationToken = default);

    /// <summary>Reads every saved month of the user, oldest first.</summary>
    Task<IReadOnlyList<MonthlyTierCounts>> ReadAsync(UserKey user, CancellationToken cancellationToken = default);
}
